// SPDX-License-Identifier: MIT
/* Split-ring arithmetic against a tiny in-test device: index wrap at
 * 65535, indirect tables, event-index suppression, hostile used entries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mock_os.h"
#include "virtqueue.h"
#include "wire.h"

/* The device's view: it consumes avail entries and writes used ones. */
struct fake_dev {
	struct vg_vq *vq;
	uint16_t last_avail;
	uint16_t used_idx;
};

static uint16_t *avail_ring(struct vg_vq *vq)
{
	return vq->avail + 2;
}

/* Consumes one avail chain, returns its head and the bytes it may write. */
static int dev_pop(struct fake_dev *d, uint16_t *head, uint32_t *in_len,
		   unsigned *ndesc)
{
	struct vg_vq *vq = d->vq;
	if (d->last_avail == vq->avail[1])
		return 0;
	*head = avail_ring(vq)[d->last_avail & (vq->size - 1)];
	d->last_avail++;
	struct vg_vring_desc *table = vq->desc;
	uint16_t i = *head;
	*in_len = 0;
	*ndesc = 0;
	if (vq->desc[i].flags & VG_DESC_F_INDIRECT) {
		table = (struct vg_vring_desc *)(uintptr_t)vq->desc[i].addr;
		assert_int_equal(vq->desc[i].len % 16, 0);
		i = 0;
	}
	for (;;) {
		(*ndesc)++;
		if (table[i].flags & VG_DESC_F_WRITE)
			*in_len += table[i].len;
		if (!(table[i].flags & VG_DESC_F_NEXT))
			break;
		i = table[i].next;
	}
	return 1;
}

static void dev_push(struct fake_dev *d, uint32_t id, uint32_t len)
{
	struct vg_vq *vq = d->vq;
	vq->used_ring[d->used_idx & (vq->size - 1)] =
		(struct vg_vring_used_elem){id, len};
	d->used_idx++;
	__atomic_store_n(&vq->used_hdr[1], d->used_idx, __ATOMIC_RELEASE);
}

static int setup(void **state)
{
	static struct mock_os m;
	mock_os_init(&m);
	*state = &m;
	return 0;
}

static void test_wrap_at_65535(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	struct fake_dev d = {&vq, 0, 0};
	uint8_t buf[64];
	int cookies[4];

	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 8, false, false), VG_OK);
	d.vq = &vq;
	/* 70000 round trips with 3 chains in flight carry every index across
	 * the 16-bit wrap. */
	for (uint32_t round = 0; round < 70000; round++) {
		for (int k = 0; k < 3; k++) {
			struct vg_sg sg[2] = {
				{(uint64_t)(uintptr_t)buf, 16},
				{(uint64_t)(uintptr_t)(buf + 16), 24},
			};
			assert_int_equal(
				vg_vq_add(&vq, sg, 1, 1, NULL, &cookies[k]),
				VG_OK);
		}
		for (int k = 0; k < 3; k++) {
			uint16_t head;
			uint32_t in_len;
			unsigned nd;
			assert_true(dev_pop(&d, &head, &in_len, &nd));
			assert_int_equal(in_len, 24);
			assert_int_equal(nd, 2);
			dev_push(&d, head, 8);
		}
		for (int k = 0; k < 3; k++) {
			void *c;
			uint32_t len;
			assert_true(vg_vq_get_used(&vq, &c, &len));
			assert_ptr_equal(c, &cookies[k]);
			assert_int_equal(len, 8);
		}
		void *c;
		uint32_t len;
		assert_false(vg_vq_get_used(&vq, &c, &len));
		assert_int_equal(vq.num_free, 8);
	}
	/* 210000 chains: the indexes wrapped three times. */
	assert_int_equal(vq.avail_idx, (uint16_t)210000);
	assert_int_equal(vq.last_used_idx, (uint16_t)210000);
	assert_int_equal(vq.stats.bad_used_id, 0);
	vg_vq_finish(&vq);
	assert_int_equal(m->live_allocs, 0);
}

static void test_ring_full_is_busy(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	uint8_t buf[32];
	struct vg_sg sg[2] = {{(uintptr_t)buf, 16}, {(uintptr_t)buf + 16, 16}};
	int c;

	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 4, false, false), VG_OK);
	assert_int_equal(vg_vq_add(&vq, sg, 1, 1, NULL, &c), VG_OK);
	assert_int_equal(vg_vq_add(&vq, sg, 1, 1, NULL, &c), VG_OK);
	assert_int_equal(vg_vq_add(&vq, sg, 1, 1, NULL, &c), VG_E_BUSY);
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, NULL), VG_E_INVAL);
	vg_vq_finish(&vq);
	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 6, false, false),
			 VG_E_INVAL);
	assert_int_equal(m->live_allocs, 0);
}

static void test_indirect_table(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	struct fake_dev d;
	struct vg_vring_desc table[8];
	struct vg_indirect ind = {table, (uint64_t)(uintptr_t)table, 8};
	uint8_t buf[256];
	int c;

	assert_int_equal(vg_vq_init(&vq, &m->os, 1, 4, false, true), VG_OK);
	d = (struct fake_dev){&vq, 0, 0};
	struct vg_sg sg[4] = {
		{(uintptr_t)buf, 24},
		{(uintptr_t)buf + 32, 64},
		{(uintptr_t)buf + 96, 64},
		{(uintptr_t)buf + 160, 96},
	};
	/* Four buffers take one ring descriptor. */
	assert_int_equal(vg_vq_add(&vq, sg, 3, 1, &ind, &c), VG_OK);
	assert_int_equal(vq.num_free, 3);
	uint16_t head = avail_ring(&vq)[0];
	assert_int_equal(vq.desc[head].flags, VG_DESC_F_INDIRECT);
	assert_int_equal(vq.desc[head].len, 4 * sizeof(struct vg_vring_desc));
	assert_int_equal(table[0].flags, VG_DESC_F_NEXT);
	assert_int_equal(table[0].next, 1);
	assert_int_equal(table[2].flags, VG_DESC_F_NEXT);
	assert_int_equal(table[3].flags, VG_DESC_F_WRITE);
	assert_int_equal(table[3].len, 96);
	assert_int_equal(table[1].addr, (uintptr_t)buf + 32);

	uint16_t h;
	uint32_t in_len;
	unsigned nd;
	assert_true(dev_pop(&d, &h, &in_len, &nd));
	assert_int_equal(nd, 4);
	assert_int_equal(in_len, 96);
	dev_push(&d, h, 40);
	void *cookie;
	uint32_t len;
	assert_true(vg_vq_get_used(&vq, &cookie, &len));
	assert_ptr_equal(cookie, &c);
	assert_int_equal(vq.num_free, 4);
	/* More buffers than the table holds is refused, not overflowed. */
	struct vg_indirect small = {table, (uintptr_t)table, 2};
	assert_int_equal(vg_vq_add(&vq, sg, 3, 1, &small, &c), VG_E_INVAL);
	vg_vq_finish(&vq);
}

static void test_need_event_arithmetic(void **state)
{
	(void)state;
	/* Notify iff event_idx lies in [old, new). */
	assert_true(vg_vring_need_event(5, 6, 5));
	assert_false(vg_vring_need_event(6, 6, 5));
	assert_true(vg_vring_need_event(3, 10, 0));
	assert_false(vg_vring_need_event(10, 10, 0));
	/* Across the 16-bit wrap. */
	assert_true(vg_vring_need_event(65535, 2, 65534));
	assert_true(vg_vring_need_event(0, 2, 65534));
	assert_false(vg_vring_need_event(2, 2, 65534));
	assert_false(vg_vring_need_event(65533, 2, 65534));
}

static void test_event_idx_suppresses_kicks(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	uint8_t buf[32];
	struct vg_sg sg[1] = {{(uintptr_t)buf, 16}};
	int c;

	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 8, true, false), VG_OK);
	/* The device asks to be woken when avail reaches index 0+1. */
	*vq.avail_event = 0;
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, &c), VG_OK);
	assert_true(vg_vq_kick_prepare(&vq));
	/* Device still busy with entry 0: no new doorbell needed. */
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, &c), VG_OK);
	assert_false(vg_vq_kick_prepare(&vq));
	/* Nothing new since: no kick at all. */
	assert_false(vg_vq_kick_prepare(&vq));
	/* Device caught up to 2 and wants to hear about index 2. */
	*vq.avail_event = 2;
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, &c), VG_OK);
	assert_true(vg_vq_kick_prepare(&vq));
	assert_int_equal(vq.stats.notifies, 2);
	assert_int_equal(vq.stats.notifies_suppressed, 1);
	/* Interrupt side: used_event follows what we consumed. */
	vq.last_used_idx = 7;
	vq.used_hdr[1] = 7;
	assert_false(vg_vq_enable_cb(&vq));
	assert_int_equal(vq.avail[2 + vq.size], 7);
	/* A completion racing with re-enabling is reported. */
	vq.used_hdr[1] = 8;
	assert_true(vg_vq_enable_cb(&vq));
	vg_vq_finish(&vq);
}

static void test_no_notify_flag_without_event_idx(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	uint8_t buf[16];
	struct vg_sg sg[1] = {{(uintptr_t)buf, 16}};
	int c;

	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 8, false, false), VG_OK);
	vq.used_hdr[0] = VG_USED_F_NO_NOTIFY;
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, &c), VG_OK);
	assert_false(vg_vq_kick_prepare(&vq));
	vq.used_hdr[0] = 0;
	assert_int_equal(vg_vq_add(&vq, sg, 1, 0, NULL, &c), VG_OK);
	assert_true(vg_vq_kick_prepare(&vq));
	vg_vq_finish(&vq);
}

static void test_hostile_used_entries(void **state)
{
	struct mock_os *m = *state;
	struct vg_vq vq;
	struct fake_dev d;
	uint8_t buf[64];
	struct vg_sg sg[2] = {{(uintptr_t)buf, 16}, {(uintptr_t)buf + 16, 32}};
	int c1, c2;
	void *cookie;
	uint32_t len;

	assert_int_equal(vg_vq_init(&vq, &m->os, 0, 8, false, false), VG_OK);
	d = (struct fake_dev){&vq, 0, 0};
	assert_int_equal(vg_vq_add(&vq, sg, 1, 1, NULL, &c1), VG_OK);
	assert_int_equal(vg_vq_add(&vq, sg, 1, 1, NULL, &c2), VG_OK);
	uint16_t h1, h2;
	uint32_t il;
	unsigned nd;
	dev_pop(&d, &h1, &il, &nd);
	dev_pop(&d, &h2, &il, &nd);

	dev_push(&d, 9999, 4);	  /* id out of range */
	dev_push(&d, 1, 4);	  /* a descriptor inside a chain, not a head */
	dev_push(&d, h1, 100000); /* longer than the 32 writable bytes */
	assert_true(vg_vq_get_used(&vq, &cookie, &len));
	assert_ptr_equal(cookie, &c1);
	assert_int_equal(len, 32);
	assert_int_equal(vq.stats.bad_used_id, 2);
	assert_int_equal(vq.stats.bad_used_len, 1);
	assert_int_equal(vq.stats.bad_used_idx, 1); /* 3 entries, 2 chains */
	/* The same head completed twice: the second is a lie. */
	dev_push(&d, h1, 4);
	dev_push(&d, h2, 4);
	assert_true(vg_vq_get_used(&vq, &cookie, &len));
	assert_ptr_equal(cookie, &c2);
	assert_int_equal(vq.stats.bad_used_id, 3);
	assert_int_equal(vq.stats.bad_used_idx, 2);
	assert_false(vg_vq_get_used(&vq, &cookie, &len));
	/* used idx jumping far ahead with nothing in flight. */
	__atomic_store_n(&vq.used_hdr[1], (uint16_t)(d.used_idx + 300),
			 __ATOMIC_RELEASE);
	assert_false(vg_vq_get_used(&vq, &cookie, &len));
	assert_int_equal(vq.stats.bad_used_idx, 3);
	assert_int_equal(vq.num_free, 8);
	vg_vq_finish(&vq);
}

static void test_init_unwinds_on_every_allocation_failure(void **state)
{
	struct mock_os *m = *state;
	for (long n = 1; n <= 5; n++) {
		struct vg_vq vq;
		m->total_allocs = 0;
		m->fail_at = n;
		assert_int_equal(vg_vq_init(&vq, &m->os, 0, 16, true, true),
				 VG_E_NOMEM);
		assert_int_equal(m->live_allocs, 0);
	}
	m->fail_at = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_at_65535),
		cmocka_unit_test(test_ring_full_is_busy),
		cmocka_unit_test(test_indirect_table),
		cmocka_unit_test(test_need_event_arithmetic),
		cmocka_unit_test(test_event_idx_suppresses_kicks),
		cmocka_unit_test(test_no_notify_flag_without_event_idx),
		cmocka_unit_test(test_hostile_used_entries),
		cmocka_unit_test(test_init_unwinds_on_every_allocation_failure),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
