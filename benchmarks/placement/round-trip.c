// How far apart two processors are, measured while something else runs: every PERIOD_MS, one
// thread on processor A and one on processor B pass a counter back and forth TRIPS times, and
// the mean time of a round trip is printed with the wall-clock time it ended.
//
// A round trip is a cache line moving from one core to the other and back. Where the two cores
// share a last-level cache it takes tens of ns; where they sit in different cache domains (two
// CCDs of an EPYC, two sockets) several times that. A virtual machine's two vCPUs can move
// between both placements while it runs, and a training run on both of them is as fast as the
// traffic between their cores allows, so placement-comparison.sh records this beside its runs;
// core-distances.sh maps a machine's processors with it.
//
// Usage: round-trip SECONDS PERIOD_MS [CPU_A CPU_B]   (defaults: processors 0 and 1)
// Prints lines "UNIX_TIME NS_PER_ROUND_TRIP".
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { TRIPS = 1000 };

static _Alignas(64) atomic_long ball;
// Both threads meet here before each burst: the answering one sleeps in between, so the probe
// takes almost no time from the run it watches.
static pthread_barrier_t start;
static atomic_int done;

static double seconds(clockid_t clock) {
    struct timespec t;
    clock_gettime(clock, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "round-trip: cannot run on processor %d\n", cpu);
        exit(2);
    }
}

static void *answer(void *cpu) {
    pin(*(int *) cpu);
    for (;;) {
        pthread_barrier_wait(&start);
        if (atomic_load(&done)) {
            return NULL;
        }
        long expected = 1;
        for (int i = 0; i < TRIPS; i++, expected += 2) {
            while (atomic_load_explicit(&ball, memory_order_acquire) != expected) {
            }
            atomic_store_explicit(&ball, expected + 1, memory_order_release);
        }
    }
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: round-trip SECONDS PERIOD_MS [CPU_A CPU_B]\n");
        return 2;
    }
    double duration = atof(argv[1]);
    int period_ms = atoi(argv[2]);
    static int cpus[2] = {0, 1};
    if (argc == 5) {
        cpus[0] = atoi(argv[3]);
        cpus[1] = atoi(argv[4]);
    }
    pin(cpus[0]);
    pthread_barrier_init(&start, NULL, 2);
    pthread_t other;
    pthread_create(&other, NULL, answer, &cpus[1]);
    double began = seconds(CLOCK_MONOTONIC);
    while (seconds(CLOCK_MONOTONIC) - began < duration) {
        atomic_store(&ball, 0);
        pthread_barrier_wait(&start);
        double from = seconds(CLOCK_MONOTONIC);
        long sent = 1;
        for (int i = 0; i < TRIPS; i++, sent += 2) {
            atomic_store_explicit(&ball, sent, memory_order_release);
            while (atomic_load_explicit(&ball, memory_order_acquire) != sent + 1) {
            }
        }
        double to = seconds(CLOCK_MONOTONIC);
        printf("%.3f %.0f\n", seconds(CLOCK_REALTIME), (to - from) * 1e9 / TRIPS);
        fflush(stdout);
        usleep(period_ms * 1000);
    }
    atomic_store(&done, 1);
    pthread_barrier_wait(&start);
    pthread_join(other, NULL);
    return 0;
}
