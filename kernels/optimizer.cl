// optimizer.cl — fused parameter updates, one pass over each array, one work item per element.
//
// Layout: parameters, gradient and the optimizer state are flat arrays of n floats (the same
// matrix shape); work item e updates element e (launch n items rounded up; guarded).
//   sgd_update       p −= lr·(g + λp)                             (L2 weight decay λ)
//   momentum_update  v = μ·v + (g + λp); p −= lr·v                (PyTorch's form)
//   adam_update      p *= decay_factor (1 − lr·λ, AdamW's decoupled decay; 1 for Adam);
//                    m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
//                    p −= lr·(m / c₁) / (√(v / c₂) + ε)  with the bias corrections
//                    c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ computed once on the host in double.

__kernel void sgd_update(const int n, const float learning_rate, const float weight_decay,
                         __global float* parameters, __global const float* gradient) {
    const int e = get_global_id(0);
    if (e < n) {
        const float p = parameters[e];
        parameters[e] = fma(-learning_rate, fma(weight_decay, p, gradient[e]), p);
    }
}

__kernel void momentum_update(const int n, const float learning_rate, const float momentum,
                              const float weight_decay, __global float* parameters,
                              __global const float* gradient, __global float* velocity) {
    const int e = get_global_id(0);
    if (e < n) {
        const float p = parameters[e];
        const float v = fma(momentum, velocity[e], fma(weight_decay, p, gradient[e]));
        velocity[e] = v;
        parameters[e] = fma(-learning_rate, v, p);
    }
}

__kernel void adam_update(const int n, const float learning_rate, const float beta1, const float beta2,
                          const float epsilon, const float correction1, const float correction2,
                          const float decay_factor,
                          __global float* parameters, __global const float* gradient,
                          __global float* first_moment, __global float* second_moment) {
    const int e = get_global_id(0);
    if (e < n) {
        const float g = gradient[e];
        const float m = fma(beta1, first_moment[e], (1.0f - beta1) * g);
        const float v = fma(beta2, second_moment[e], (1.0f - beta2) * g * g);
        first_moment[e] = m;
        second_moment[e] = v;
        parameters[e] = parameters[e] * decay_factor
            - learning_rate * (m / correction1) / (sqrt(v / correction2) + epsilon);
    }
}
