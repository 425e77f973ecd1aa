/* Counts executed guest instructions from a qemu-user log of "-d in_asm,exec,nochain" (read on stdin):
 * each "IN:" block gives a translated block's instruction count by its start address, each "Trace" line
 * one execution of the block at that address (the current translation), counted for the main thread only
 * ("Trace 0:", qemu-user's first vCPU; the runtime's other threads would add noise). Prints the total.
 * Build: cc -O2 -o qemu-exec-count qemu-exec-count.c   (used by arm64-instruction-count.sh) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define SLOTS (1u << 22)
static uint64_t keys[SLOTS];
static uint32_t counts[SLOTS];

static uint32_t *slot(uint64_t pc)
{
    uint64_t h = (pc * 0x9E3779B97F4A7C15ull) >> 42;
    for (;;) {
        uint32_t i = (uint32_t)(h & (SLOTS - 1));
        if (keys[i] == pc || keys[i] == 0) { keys[i] = pc; return &counts[i]; }
        h++;
    }
}

int main(void)
{
    static char line[4096];
    uint64_t block = 0, total = 0, executions = 0, unknown = 0;
    uint32_t n = 0;
    int inBlock = 0;
    while (fgets(line, sizeof line, stdin)) {
        if (inBlock) {
            if (line[0] == '0' && line[1] == 'x') {
                if (n == 0) block = strtoull(line, NULL, 16);
                n++;
                continue;
            }
            if (n) *slot(block) = n;
            inBlock = 0;
        }
        if (strncmp(line, "IN:", 3) == 0) { inBlock = 1; n = 0; continue; }
        if (strncmp(line, "Trace ", 6) == 0) {
            if (strncmp(line + 6, "0:", 2) != 0) continue;
            /* Trace 0: 0xHOST [cs_base/PC/flags/cflags] */
            char *b = strchr(line, '[');
            char *s = b ? strchr(b, '/') : NULL;
            if (!s) continue;
            uint64_t pc = strtoull(s + 1, NULL, 16);
            uint32_t c = *slot(pc);
            if (c == 0) unknown++;
            total += c;
            executions++;
        }
    }
    if (inBlock && n) *slot(block) = n;
    printf("%llu instructions in %llu block executions (%llu of unknown size)\n",
           (unsigned long long)total, (unsigned long long)executions, (unsigned long long)unknown);
    return 0;
}
