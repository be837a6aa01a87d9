// activation_functions.h — the scalar activation functions, prepended to every program that
// applies an activation inside another operation (activation.cl, gemm.cl epilogues, loss.cl).
//
// Each function f has NAME_value(z) = f(z) and NAME_derivative(a) = f′ written through the output
// a = f(z), so backward passes need only the stored activations (dev.bp4j.api.Activation):
//   sigmoid′ = a(1 − a), tanh′ = 1 − a², relu′ = [a > 0], identity′ = 1.
// Runtime codes (ACTIVATION_*) are what the host passes to kernels whose activation is an
// argument; dev.bp4j.opencl.GemmKernels holds the same numbers.

#define ACTIVATION_IDENTITY 0
#define ACTIVATION_SIGMOID 1
#define ACTIVATION_TANH 2
#define ACTIVATION_RELU 3

inline float identity_value(const float z) { return z; }
inline float identity_derivative(const float a) { return 1.0f; }

// exp(−|z|) never overflows, so both halves stay finite for any z.
inline float sigmoid_value(const float z) {
    const float e = exp(-fabs(z));
    return z >= 0.0f ? 1.0f / (1.0f + e) : e / (1.0f + e);
}
inline float sigmoid_derivative(const float a) { return a * (1.0f - a); }

inline float tanh_value(const float z) { return tanh(z); }
inline float tanh_derivative(const float a) { return 1.0f - a * a; }

inline float relu_value(const float z) { return z > 0.0f ? z : 0.0f; }
inline float relu_derivative(const float a) { return a > 0.0f ? 1.0f : 0.0f; }

inline float activation_value(const int f, const float z) {
    switch (f) {
        case ACTIVATION_SIGMOID: return sigmoid_value(z);
        case ACTIVATION_TANH: return tanh_value(z);
        case ACTIVATION_RELU: return relu_value(z);
        default: return z;
    }
}

inline float activation_derivative(const int f, const float a) {
    switch (f) {
        case ACTIVATION_SIGMOID: return sigmoid_derivative(a);
        case ACTIVATION_TANH: return tanh_derivative(a);
        case ACTIVATION_RELU: return relu_derivative(a);
        default: return 1.0f;
    }
}
