/*
 * Allocator-neutral workload: maps MIB MiB with mmap (no malloc involved), touches every page, holds it briefly and
 * exits. Any two glibc-malloc variants must measure the same here. Prints "touched_mib: N".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t) atoi(argv[1]) : 32;
    char *p = mmap(0, mib << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(p, 7, mib << 20);
    usleep(150000);
    printf("touched_mib: %zu\n", mib);
    return 0;
}
