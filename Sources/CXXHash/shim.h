// xxhash through its public header; nothing else.
#include <xxhash.h>
