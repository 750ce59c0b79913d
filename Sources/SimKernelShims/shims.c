// Everything lives in include/SimKernelShims.h (static inline); SwiftPM needs one source file.
#include "SimKernelShims.h"
