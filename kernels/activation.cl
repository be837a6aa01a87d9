// activation.cl — elementwise activations and the Hadamard product (compiled after
// activation_functions.h).
//
// Kernels, over n floats (a matrix seen as a flat row-major array):
//   NAME_forward(n, input, output)              output[e] = NAME(input[e])
//   NAME_backward(n, outputs, gradient, result)  result[e] = gradient[e] · NAME′(outputs[e])
//   hadamard(n, a, b, result)                    result[e] = a[e] · b[e]
// for NAME in sigmoid, tanh, relu (identity is a copy on the host side).
// Outputs may alias inputs: every element is read and written by the same work item.
//
// Work decomposition: work item i owns elements 4i .. 4i+3 and moves them as one float4 when
// all four are in bounds (device buffers are aligned far beyond 16 bytes, so element 4i is
// float4-aligned); the last, partial quad is done element by element. Launch ⌈n/4⌉ items,
// rounded up to the work-group size; items past the end do nothing.

#define QUAD_IS_WHOLE(i, n) (4 * (i) + 3 < (n))

#define ACTIVATION_KERNELS(NAME)                                                                   \
__kernel void NAME##_forward(const int n, __global const float* input, __global float* output) {  \
    const int i = get_global_id(0);                                                                \
    if (QUAD_IS_WHOLE(i, n)) {                                                                     \
        const float4 z = ((__global const float4*) input)[i];                                     \
        ((__global float4*) output)[i] =                                                           \
            (float4) (NAME##_value(z.x), NAME##_value(z.y), NAME##_value(z.z), NAME##_value(z.w)); \
    } else {                                                                                       \
        for (int e = 4 * i; e < n; e++) {                                                          \
            output[e] = NAME##_value(input[e]);                                                    \
        }                                                                                          \
    }                                                                                              \
}                                                                                                  \
__kernel void NAME##_backward(const int n, __global const float* outputs,                         \
                              __global const float* gradient, __global float* result) {            \
    const int i = get_global_id(0);                                                                \
    if (QUAD_IS_WHOLE(i, n)) {                                                                     \
        const float4 a = ((__global const float4*) outputs)[i];                                   \
        const float4 g = ((__global const float4*) gradient)[i];                                  \
        ((__global float4*) result)[i] = g                                                         \
            * (float4) (NAME##_derivative(a.x), NAME##_derivative(a.y), NAME##_derivative(a.z), NAME##_derivative(a.w)); \
    } else {                                                                                       \
        for (int e = 4 * i; e < n; e++) {                                                          \
            result[e] = gradient[e] * NAME##_derivative(outputs[e]);                                    \
        }                                                                                          \
    }                                                                                              \
}

ACTIVATION_KERNELS(sigmoid)
ACTIVATION_KERNELS(tanh)
ACTIVATION_KERNELS(relu)

__kernel void hadamard(const int n, __global const float* a, __global const float* b, __global float* result) {
    const int i = get_global_id(0);
    if (QUAD_IS_WHOLE(i, n)) {
        ((__global float4*) result)[i] = ((__global const float4*) a)[i] * ((__global const float4*) b)[i];
    } else {
        for (int e = 4 * i; e < n; e++) {
            result[e] = a[e] * b[e];
        }
    }
}
