#ifndef SIMKERNEL_SHIMS_H
#define SIMKERNEL_SHIMS_H
// Tiny helpers the event queue needs and Swift does not spell: a cache prefetch hint.
static inline __attribute__((always_inline)) void simkernel_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}
#endif
