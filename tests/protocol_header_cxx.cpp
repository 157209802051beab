// SPDX-License-Identifier: MIT
// The public headers compile as C++ (their static asserts included).
#include "viogpu/client.h"
#include "viogpu/protocol.h"

static_assert(sizeof(vgp_line) == 24, "C++ sees the C layout");

int main()
{
	return VGP_CTL_FUNCTION(VGP_DRAW_LINE) == 0x803 ? 0 : 1;
}
