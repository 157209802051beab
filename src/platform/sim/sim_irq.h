/* SPDX-License-Identifier: MIT */
/*
 * The device's INTx line and the "interrupt context" thread that runs the
 * core's ISR while the line is high (level-triggered: the ISR reads the
 * ISR register, which lowers the line; a line left high calls the ISR
 * again, paced if nobody acknowledges it).
 */
#ifndef VIOGPU_SIM_IRQ_H
#define VIOGPU_SIM_IRQ_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "viogpu/os.h"

struct sim_irq {
	pthread_mutex_t lock; /* protects everything below */
	pthread_cond_t changed;
	bool level;
	uint64_t raise_seq; /* low -> high edges */
	bool running, stop;
	vg_isr_fn isr;
	void *ctx;
	pthread_t thread;
	uint64_t isr_calls;
};

void sim_irq_init(struct sim_irq *irq);
void sim_irq_finish(struct sim_irq *irq); /* disconnects first */
/* Drives the line; callable with the device lock held. */
void sim_irq_set_level(struct sim_irq *irq, bool high);
/* The os.h irq_connect / irq_disconnect contracts. */
vg_status sim_irq_connect(struct sim_irq *irq, vg_isr_fn isr, void *ctx);
void sim_irq_disconnect(struct sim_irq *irq);

#endif
