/* SPDX-License-Identifier: MIT */
/*
 * The fault language of vg_sim_config.faults (grammar in sim_faults.c):
 * parsing, and matching one command against the terms.
 */
#ifndef VIOGPU_SIM_FAULTS_H
#define VIOGPU_SIM_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "viogpu/status.h"

enum sim_fault_kind {
	SIM_FAULT_DELAY,
	SIM_FAULT_DROP,
	SIM_FAULT_LATE,
	SIM_FAULT_ERROR,
	SIM_FAULT_SHORT,
	SIM_FAULT_OVERSIZE,
	SIM_FAULT_WRONGTYPE,
	SIM_FAULT_BADID,
	SIM_FAULT_BADLEN,
	SIM_FAULT_SPURIOUS_IRQ,
	SIM_FAULT_LOST_IRQ,
	SIM_FAULT_STALL,
	SIM_FAULT_NEEDS_RESET,
	SIM_FAULT_EVENT_STORM,
	SIM_FAULT_EDID_SIZE,
};

enum sim_fault_sel {
	SIM_SEL_ALL,   /* every control command */
	SIM_SEL_CMD,   /* the Nth control command */
	SIM_SEL_TYPE,  /* every command of a type (either queue) */
	SIM_SEL_EVERY, /* every Nth control command */
};

struct sim_fault {
	enum sim_fault_kind kind;
	enum sim_fault_sel sel;
	uint64_t sel_arg; /* N, or the command type */
	uint32_t arg;	  /* MS, response code, or event count */
};

struct sim_faults {
	struct sim_fault *v;
	unsigned n;
};

/* How the response is falsified (at most one). */
enum sim_resp_lie {
	SIM_LIE_NONE,
	SIM_LIE_SHORT,
	SIM_LIE_OVERSIZE,
	SIM_LIE_WRONGTYPE,
	SIM_LIE_BADLEN,
};

/* Everything the matching terms ask for, merged. */
struct sim_fault_action {
	unsigned matched;  /* terms that matched (faults_injected) */
	uint32_t delay_ms; /* delay@ / late@: the longest */
	bool drop;
	uint32_t error; /* 0 or an ERR_* code */
	enum sim_resp_lie lie;
	bool badid;
	bool spurious_irq;
	bool lost_irq;
	bool stall;
	bool needs_reset;
	uint32_t storm;	    /* display events to raise */
	uint32_t edid_size; /* edid-size@N: GET_EDID's size field, 0 off */
};

/* NULL or "" gives no terms.  On a bad term: VG_E_INVAL and one line on
 * stderr naming it; *out is left empty. */
vg_status sim_faults_parse(const char *spec, struct sim_faults *out);
void sim_faults_free(struct sim_faults *f);

/* ctrl_seq: 1-based number of this control command (0 on the cursor
 * queue).  Fills *act (zeroed first). */
void sim_faults_match(const struct sim_faults *f, uint64_t ctrl_seq,
		      uint32_t type, struct sim_fault_action *act);

#endif
