// SPDX-License-Identifier: MIT
/* The runner of tests/win/cmocka.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

_Thread_local jmp_buf *vg_cm_jmp;

/* One test with its fixtures; true if it passed.  Locals the longjmp
 * crosses are volatile. */
static int run_one(const struct CMUnitTest *t, void *group_state)
{
	jmp_buf env;
	void *volatile state =
		t->initial_state ? t->initial_state : group_state;
	volatile int ok = 0;

	vg_cm_jmp = &env;
	if (!setjmp(env)) {
		if (t->setup_func && t->setup_func((void **)&state)) {
			fprintf(stderr, "%s: setup failed\n", t->name);
		} else {
			t->test_func((void **)&state);
			ok = 1;
		}
	}
	if (t->teardown_func && !setjmp(env) &&
	    t->teardown_func((void **)&state))
		ok = 0;
	vg_cm_jmp = NULL;
	return ok;
}

int vg_cm_run(const char *group, const struct CMUnitTest *t, size_t n,
	      CMFixtureFunction setup, CMFixtureFunction teardown)
{
	void *state = NULL;
	int failed = 0;

	printf("[==========] %s: running %zu test(s).\n", group, n);
	if (setup && setup(&state)) {
		printf("[  ERROR   ] %s: group setup failed\n", group);
		return (int)n;
	}
	for (size_t i = 0; i < n; i++) {
		printf("[ RUN      ] %s\n", t[i].name);
		fflush(stdout);
		int ok = run_one(&t[i], state);
		printf("[ %s ] %s\n", ok ? "      OK" : " FAILED ", t[i].name);
		failed += !ok;
	}
	if (teardown && teardown(&state))
		failed++;
	printf("[==========] %s: %zu test(s) run, %d failed.\n", group, n,
	       failed);
	fflush(stdout);
	return failed;
}
