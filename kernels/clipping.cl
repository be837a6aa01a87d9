// clipping.cl — clipping gradients by their global norm, as PyTorch's clip_grad_norm_.
//
//   sum_of_squares(n, matrix, accumulator)   accumulator[0] += Σ matrix[e]². One work group of
//                                            NORM_GROUP items, each summing every NORM_GROUP-th
//                                            element, then a tree in local memory: the
//                                            accumulator is updated once, without atomics, and
//                                            the order of the sum is fixed.
//   clip_to_norm(n, max_norm, squared_norm, matrix)
//                                            matrix[e] *= min(1, max_norm / (√squared_norm[0] + 1e-6)),
//                                            one work item per element.
//
// Tunable: NORM_GROUP (a power of 2).

#ifndef NORM_GROUP
#define NORM_GROUP 256
#endif

#if (NORM_GROUP & (NORM_GROUP - 1)) != 0
#error "clipping.cl: NORM_GROUP must be a power of 2"
#endif

__kernel __attribute__((reqd_work_group_size(NORM_GROUP, 1, 1)))
void sum_of_squares(const int n, __global const float* matrix, __global float* accumulator) {
    __local float scratch[NORM_GROUP];
    const int lane = get_local_id(0);
    float sum = 0.0f;
    for (int e = lane; e < n; e += NORM_GROUP) {
        sum = fma(matrix[e], matrix[e], sum);
    }
    scratch[lane] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = NORM_GROUP / 2; stride > 0; stride >>= 1) {
        if (lane < stride) {
            scratch[lane] += scratch[lane + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 0) {
        accumulator[0] += scratch[0];
    }
}

__kernel void clip_to_norm(const int n, const float max_norm, __global const float* squared_norm,
                           __global float* matrix) {
    const int e = get_global_id(0);
    if (e < n) {
        const float factor = fmin(1.0f, max_norm / (sqrt(squared_norm[0]) + 1e-6f));
        matrix[e] *= factor;
    }
}
