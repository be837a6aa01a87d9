// gemm.cl — C = α·op(A)·op(B) + β·C, and the two products of a dense layer with their
// elementwise work fused into the store (compiled after activation_functions.h).
//
// Layout: row-major. op(A) is (M × K), op(B) is (K × N), C is (M × N) with row stride N.
//   op(A)[i, p] = TRANSPOSE_A ? A[p·lda + i] : A[i·lda + p]   (A stored (K × M) or (M × K))
//   op(B)[p, j] = TRANSPOSE_B ? B[j·ldb + p] : B[p·ldb + j]   (B stored (N × K) or (K × N))
//
// Work decomposition: work group (gx, gy) computes the TILE_M × TILE_N block of C whose corner
// is (gy·TILE_M, gx·TILE_N). It walks K in steps of TILE_K; each step stages the op(A) and op(B)
// tiles in local memory k-major, a_tile[p][i] and b_tile[p][j], so the inner loop reads float4s.
// Work item (tx, ty) of the (THREADS_N × THREADS_M) = (TILE_N/WORK_N × TILE_M/WORK_M) group keeps
// a WORK_M × WORK_N block of C in registers, made of quads interleaved across the group:
//   rows    (qm·THREADS_M + ty)·4 + [0, 4)  for qm < WORK_M/4
//   columns (qn·THREADS_N + tx)·4 + [0, 4)  for qn < WORK_N/4
// so neighbouring items read neighbouring float4s of the tiles (no bank conflicts) and store
// neighbouring float4s of C (coalesced). Per k an item loads WORK_M + WORK_N values from local
// memory for WORK_M·WORK_N fused multiply-adds.
// Launch: global (⌈N/TILE_N⌉·TILE_N/WORK_N, ⌈M/TILE_M⌉·TILE_M/WORK_M), local
// (TILE_N/WORK_N, TILE_M/WORK_M).
//
// Edges: staged elements outside op(A) or op(B) are zeros and stores outside C are skipped, so
// every M, N, K ≥ 1 works. Global loads and stores move float4s when the row stride is a
// multiple of 4 (the vector_a, vector_b, vector_c arguments) and all four elements are inside.
//
// Epilogue (the epilogue argument, the same for the whole launch):
//   GEMM_PLAIN          C[i, j] = α·acc + β·C[i, j]        (C not read when β = 0)
//   GEMM_BIAS_ACTIVATE  C[i, j] = f(acc + bias[j])          (denseForward: op(B) = Wᵀ)
//   GEMM_ACTIVATION_BACKWARD    C[i, j] = acc · f′(aux[i, j])       (denseBackward: aux = f's outputs)
// with f the activation argument (ACTIVATION_* codes of activation_functions.h).
//
// Staging (STAGING, how a K step's tiles reach local memory):
//   0 direct          fetch and put, barrier, multiply-add, barrier;
//   1 prefetch        each item fetches the next step's float4s into registers before the
//                     multiply-adds of the current step and puts them into local memory when
//                     the next step begins (two barriers a step);
//   2 double buffer   as 1, with two local tiles: the next step's tiles are put into the other
//                     one, so a single barrier a step separates writers from readers.
//
// Tunables (-D): TILE_M, TILE_N, TILE_K, WORK_M, WORK_N, STAGING; TRANSPOSE_A, TRANSPOSE_B select
// the case.

#ifndef TILE_M
#define TILE_M 64
#endif
#ifndef TILE_N
#define TILE_N 64
#endif
#ifndef TILE_K
#define TILE_K 16
#endif
#ifndef WORK_M
#define WORK_M 4
#endif
#ifndef WORK_N
#define WORK_N 4
#endif
#ifndef STAGING
#define STAGING 0
#endif
#ifndef TRANSPOSE_A
#define TRANSPOSE_A 0
#endif
#ifndef TRANSPOSE_B
#define TRANSPOSE_B 0
#endif

#if WORK_M % 4 != 0 || WORK_N % 4 != 0 || TILE_K % 4 != 0
#error "gemm.cl: WORK_M, WORK_N and TILE_K must be multiples of 4"
#endif
#if TILE_M % WORK_M != 0 || TILE_N % WORK_N != 0
#error "gemm.cl: TILE_M must be a multiple of WORK_M and TILE_N a multiple of WORK_N"
#endif

#define THREADS_M (TILE_M / WORK_M)
#define THREADS_N (TILE_N / WORK_N)
#define THREADS (THREADS_M * THREADS_N)

#define GEMM_PLAIN 0
#define GEMM_BIAS_ACTIVATE 1
#define GEMM_ACTIVATION_BACKWARD 2

inline float4 load_quad(__global const float* x, const int index, const int whole, const int vector_ok,
                        const int inside0, const int inside1, const int inside2, const int inside3) {
    if (vector_ok && whole) {
        // index is a multiple of 4 when the row stride is, and buffers are 16-byte aligned.
        return ((__global const float4*) x)[index / 4];
    }
    return (float4) (inside0 ? x[index] : 0.0f, inside1 ? x[index + 1] : 0.0f,
                     inside2 ? x[index + 2] : 0.0f, inside3 ? x[index + 3] : 0.0f);
}

// Staging the TILE_K × W tile [k0, k0 + TILE_K) × [w0, w0 + W) of op(A) (W = TILE_M) or op(B)
// (W = TILE_N) into local memory k-major is split into a fetch of float4 number s (global memory
// into a register) and a put (register into local memory), so STAGING 1 and 2 can issue the
// next tile's fetches before the multiply-adds of the current one and hide their latency.
//
// Stored with w contiguous (element (p, w) at x[p·ld + w]): float4 s of the tile is row
// p = s / (W/4), so neighbouring items read neighbouring memory and write neighbouring local memory.
inline float4 fetch_w_contiguous(__global const float* x, const int ld, const int vector_ok,
                                 const int k0, const int k_end, const int w0, const int w_end, const int W, const int s) {
    const int p = k0 + s / (W / 4);
    const int w = w0 + (s % (W / 4)) * 4;
    const int row_inside = p < k_end;
    return load_quad(x, p * ld + w, row_inside && w + 3 < w_end, vector_ok,
                     row_inside && w < w_end, row_inside && w + 1 < w_end,
                     row_inside && w + 2 < w_end, row_inside && w + 3 < w_end);
}

inline void put_w_contiguous(__local float4* tile, const int s, const float4 v) {
    tile[s] = v;
}

// Stored with k contiguous (element (p, w) at x[w·ld + p]): float4 s covers k = 4·(s / W) .. +3
// of line w = s % W; neighbouring items take neighbouring lines, so the four scalar local stores
// of a quad hit distinct banks across the group.
inline float4 fetch_k_contiguous(__global const float* x, const int ld, const int vector_ok,
                                 const int k0, const int k_end, const int w0, const int w_end, const int W, const int s) {
    const int w = w0 + s % W;
    const int p = k0 + (s / W) * 4;
    const int line_inside = w < w_end;
    return load_quad(x, w * ld + p, line_inside && p + 3 < k_end, vector_ok,
                     line_inside && p < k_end, line_inside && p + 1 < k_end,
                     line_inside && p + 2 < k_end, line_inside && p + 3 < k_end);
}

inline void put_k_contiguous(__local float4* tile4, const int W, const int s, const float4 v) {
    __local float* tile = (__local float*) tile4;
    const int line = s % W;
    const int quad = (s / W) * 4;
    tile[(quad + 0) * W + line] = v.x;
    tile[(quad + 1) * W + line] = v.y;
    tile[(quad + 2) * W + line] = v.z;
    tile[(quad + 3) * W + line] = v.w;
}

#if TRANSPOSE_A
#define FETCH_A(s, k0) fetch_w_contiguous(A, lda, vector_a, k0, K, row0, M, TILE_M, s)
#define PUT_A(tile, s, v) put_w_contiguous(tile, s, v)
#else
#define FETCH_A(s, k0) fetch_k_contiguous(A, lda, vector_a, k0, K, row0, M, TILE_M, s)
#define PUT_A(tile, s, v) put_k_contiguous(tile, TILE_M, s, v)
#endif
#if TRANSPOSE_B
#define FETCH_B(s, k0) fetch_k_contiguous(B, ldb, vector_b, k0, K, col0, N, TILE_N, s)
#define PUT_B(tile, s, v) put_k_contiguous(tile, TILE_N, s, v)
#else
#define FETCH_B(s, k0) fetch_w_contiguous(B, ldb, vector_b, k0, K, col0, N, TILE_N, s)
#define PUT_B(tile, s, v) put_w_contiguous(tile, s, v)
#endif

// Float4s of a tile per work item when staging through registers, which needs them to divide evenly.
#define QUADS_A (TILE_K * TILE_M / 4 / THREADS)
#define QUADS_B (TILE_K * TILE_N / 4 / THREADS)
#if STAGING != 0 && ((TILE_K * TILE_M / 4) % THREADS != 0 || (TILE_K * TILE_N / 4) % THREADS != 0)
#error "gemm.cl: STAGING 1 and 2 need TILE_K·TILE_M/4 and TILE_K·TILE_N/4 to be multiples of the work-group size"
#endif
#define LOCAL_TILES (STAGING == 2 ? 2 : 1)

#if STAGING != 0
// Puts the float4s an item fetched for the next step into that step's local tiles.
inline void put_staged(__local float4* a_tile, __local float4* b_tile, const float4* next_a, const float4* next_b,
                       const int tid) {
#pragma unroll
    for (int q = 0; q < QUADS_A; q++) {
        PUT_A(a_tile, q * THREADS + tid, next_a[q]);
    }
#pragma unroll
    for (int q = 0; q < QUADS_B; q++) {
        PUT_B(b_tile, q * THREADS + tid, next_b[q]);
    }
}
#endif

inline float epilogue_value(const float acc, const int epilogue, const int f, const float alpha, const float beta,
                            __global const float* C, const int index, const int col,
                            __global const float* bias, __global const float* aux) {
    if (epilogue == GEMM_BIAS_ACTIVATE) {
        return activation_value(f, acc + bias[col]);
    }
    if (epilogue == GEMM_ACTIVATION_BACKWARD) {
        return acc * activation_derivative(f, aux[index]);
    }
    return beta == 0.0f ? alpha * acc : alpha * acc + beta * C[index];
}

__kernel __attribute__((reqd_work_group_size(THREADS_N, THREADS_M, 1)))
void gemm(const int M, const int N, const int K, const float alpha, const float beta,
          __global const float* restrict A, const int lda, const int vector_a,
          __global const float* restrict B, const int ldb, const int vector_b,
          __global float* C, const int vector_c,
          const int epilogue, const int activation,
          __global const float* bias, __global const float* aux) {
    __local float4 a_tiles[LOCAL_TILES][TILE_K * TILE_M / 4];
    __local float4 b_tiles[LOCAL_TILES][TILE_K * TILE_N / 4];
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int tid = ty * THREADS_N + tx;
    const int row0 = get_group_id(1) * TILE_M;
    const int col0 = get_group_id(0) * TILE_N;

    float acc[WORK_M][WORK_N];
    for (int i = 0; i < WORK_M; i++) {
        for (int j = 0; j < WORK_N; j++) {
            acc[i][j] = 0.0f;
        }
    }

#if STAGING != 0
    float4 next_a[QUADS_A];
    float4 next_b[QUADS_B];
#pragma unroll
    for (int q = 0; q < QUADS_A; q++) {
        next_a[q] = FETCH_A(q * THREADS + tid, 0);
    }
#pragma unroll
    for (int q = 0; q < QUADS_B; q++) {
        next_b[q] = FETCH_B(q * THREADS + tid, 0);
    }
#endif
#if STAGING == 2
    put_staged(a_tiles[0], b_tiles[0], next_a, next_b, tid);
    barrier(CLK_LOCAL_MEM_FENCE);
#endif
    for (int k0 = 0, current = 0; k0 < K; k0 += TILE_K, current ^= LOCAL_TILES - 1) {
        const int more = k0 + TILE_K < K;
#if STAGING == 0
        for (int s = tid; s < TILE_K * TILE_M / 4; s += THREADS) {
            PUT_A(a_tiles[0], s, FETCH_A(s, k0));
        }
        for (int s = tid; s < TILE_K * TILE_N / 4; s += THREADS) {
            PUT_B(b_tiles[0], s, FETCH_B(s, k0));
        }
        barrier(CLK_LOCAL_MEM_FENCE);
#elif STAGING == 1
        put_staged(a_tiles[0], b_tiles[0], next_a, next_b, tid);
        barrier(CLK_LOCAL_MEM_FENCE);
#endif
#if STAGING != 0
        // In flight while the multiply-adds below run from local memory.
        if (more) {
#pragma unroll
            for (int q = 0; q < QUADS_A; q++) {
                next_a[q] = FETCH_A(q * THREADS + tid, k0 + TILE_K);
            }
#pragma unroll
            for (int q = 0; q < QUADS_B; q++) {
                next_b[q] = FETCH_B(q * THREADS + tid, k0 + TILE_K);
            }
        }
#endif
        __local const float4* a_tile = a_tiles[current];
        __local const float4* b_tile = b_tiles[current];
#pragma unroll
        for (int p = 0; p < TILE_K; p++) {
            float a[WORK_M];
            float b[WORK_N];
#pragma unroll
            for (int q = 0; q < WORK_M / 4; q++) {
                const float4 v = a_tile[p * (TILE_M / 4) + q * THREADS_M + ty];
                a[4 * q] = v.x;
                a[4 * q + 1] = v.y;
                a[4 * q + 2] = v.z;
                a[4 * q + 3] = v.w;
            }
#pragma unroll
            for (int q = 0; q < WORK_N / 4; q++) {
                const float4 v = b_tile[p * (TILE_N / 4) + q * THREADS_N + tx];
                b[4 * q] = v.x;
                b[4 * q + 1] = v.y;
                b[4 * q + 2] = v.z;
                b[4 * q + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < WORK_M; i++) {
#pragma unroll
                for (int j = 0; j < WORK_N; j++) {
                    acc[i][j] = fma(a[i], b[j], acc[i][j]);
                }
            }
        }
#if STAGING == 2
        // The other tiles were last read in the previous step, which its closing barrier ended.
        if (more) {
            put_staged(a_tiles[current ^ 1], b_tiles[current ^ 1], next_a, next_b, tid);
        }
#endif
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    // Fully unrolled with constant indices, so acc stays in registers (a runtime index into it
    // would move the whole block to memory on most GPUs).
#pragma unroll
    for (int i = 0; i < WORK_M; i++) {
        const int row = row0 + ((i / 4) * THREADS_M + ty) * 4 + i % 4;
#pragma unroll
        for (int q = 0; q < WORK_N / 4; q++) {
            const int col = col0 + (q * THREADS_N + tx) * 4;
            const int index = row * N + col;
            if (row < M && col < N) {
                const float v0 = epilogue_value(acc[i][4 * q], epilogue, activation, alpha, beta, C, index, col, bias, aux);
                if (vector_c && col + 3 < N) {
                    ((__global float4*) C)[index / 4] = (float4) (v0,
                        epilogue_value(acc[i][4 * q + 1], epilogue, activation, alpha, beta, C, index + 1, col + 1, bias, aux),
                        epilogue_value(acc[i][4 * q + 2], epilogue, activation, alpha, beta, C, index + 2, col + 2, bias, aux),
                        epilogue_value(acc[i][4 * q + 3], epilogue, activation, alpha, beta, C, index + 3, col + 3, bias, aux));
                } else {
                    C[index] = v0;
                    if (col + 1 < N) {
                        C[index + 1] = epilogue_value(acc[i][4 * q + 1], epilogue, activation, alpha, beta, C, index + 1, col + 1, bias, aux);
                    }
                    if (col + 2 < N) {
                        C[index + 2] = epilogue_value(acc[i][4 * q + 2], epilogue, activation, alpha, beta, C, index + 2, col + 2, bias, aux);
                    }
                    if (col + 3 < N) {
                        C[index + 3] = epilogue_value(acc[i][4 * q + 3], epilogue, activation, alpha, beta, C, index + 3, col + 3, bias, aux);
                    }
                }
            }
        }
    }
}
