// libFuzzer's entry for programs that keep their own main (compiler-rt's
// FuzzerInterface.h); linked in by -sanitize=fuzzer. Only the fuzz target uses it.
#ifndef HMRD_FUZZER_DRIVER_H
#define HMRD_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
