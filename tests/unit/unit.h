/*
 * unit.h — what every cmocka unit test includes. Tests are plain cmocka:
 * int main(void) { const struct CMUnitTest t[] = { cmocka_unit_test(f) };
 *                  return cmocka_run_group_tests(t, NULL, NULL); }
 * tests/run sets CMOCKA_MESSAGE_OUTPUT=TAP and counts the "ok" lines.
 */
#ifndef UNIT_H
#define UNIT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>
#include "congkhai.h"
#endif
