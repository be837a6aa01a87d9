// dropout.cl — inverted dropout fused with the activation (compiled after activation_functions.h).
//
// The mask is DropoutMask's definition (api): with u = e mod 128, element e takes the low
// (u < 64) or high (u ≥ 64) 16 bits of word (u / 16) mod 4 of the Philox4x32-10 block
// 16·(e / 128) + u mod 16, counter (block, 0, stream0, stream1), key (key0, key1); the element
// is kept when those bits ≥ threshold and then scaled by scale = 1 / (1 − rate). Nothing is
// stored: the backward pass regenerates the same words.
//
// Kernels, over n floats:
//   dropout_forward(n, f, ..., input, activations, output)
//       activations[e] = f(input[e]); output[e] = kept ? activations[e]·scale : 0
//   dropout_backward(n, f, ..., activations, gradient, result)
//       result[e] = kept ? gradient[e]·f′(activations[e])·scale : 0
// with f an ACTIVATION_* code. Outputs may alias inputs as the Backend contract allows: every
// element is read and written by the same work item.
//
// Work decomposition: work item b computes block b, whose four words serve the elements
// 128·(b / 16) + (b mod 16) + 16w + 64h for w = 0..3, h = 0..1. Launch 16·⌈n / 128⌉ items
// (rounded up to the group size); bits whose element lies past n are not used.

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

inline uint4 philox4x32_10(uint4 c, uint k0, uint k1) {
    for (int round = 0; round < 10; round++) {
        const uint hi0 = mul_hi(PHILOX_M0, c.x);
        const uint lo0 = PHILOX_M0 * c.x;
        const uint hi1 = mul_hi(PHILOX_M1, c.z);
        const uint lo1 = PHILOX_M1 * c.z;
        c = (uint4) (hi1 ^ c.y ^ k0, lo1, hi0 ^ c.w ^ k1, lo0);
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return c;
}

inline uint bits_of(const uint4 words, const int w, const int h) {
    const uint word = w == 0 ? words.x : w == 1 ? words.y : w == 2 ? words.z : words.w;
    return h == 0 ? word & 0xFFFFu : word >> 16;
}

__kernel void dropout_forward(const int n, const int f, const uint threshold, const float scale,
                              const uint key0, const uint key1, const uint stream0, const uint stream1,
                              __global const float* input, __global float* activations, __global float* output) {
    const int block = get_global_id(0);
    const int first = (block / 16) * 128 + block % 16;
    if (first >= n) {
        return;
    }
    const uint4 words = philox4x32_10((uint4) ((uint) block, 0u, stream0, stream1), key0, key1);
    for (int k = 0; k < 8; k++) {
        const int e = first + 16 * k;
        if (e < n) {
            const float a = activation_value(f, input[e]);
            activations[e] = a;
            output[e] = bits_of(words, k & 3, k >> 2) >= threshold ? a * scale : 0.0f;
        }
    }
}

__kernel void dropout_backward(const int n, const int f, const uint threshold, const float scale,
                               const uint key0, const uint key1, const uint stream0, const uint stream1,
                               __global const float* activations, __global const float* gradient,
                               __global float* result) {
    const int block = get_global_id(0);
    const int first = (block / 16) * 128 + block % 16;
    if (first >= n) {
        return;
    }
    const uint4 words = philox4x32_10((uint4) ((uint) block, 0u, stream0, stream1), key0, key1);
    for (int k = 0; k < 8; k++) {
        const int e = first + 16 * k;
        if (e < n) {
            result[e] = bits_of(words, k & 3, k >> 2) >= threshold
                ? gradient[e] * activation_derivative(f, activations[e]) * scale : 0.0f;
        }
    }
}
