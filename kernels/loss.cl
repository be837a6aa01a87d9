// loss.cl — losses with their gradients fused, and the count of right predictions (compiled
// after activation_functions.h).
//
// Layout: outputs/logits, targets and gradient are (rows × cols) row-major; row_loss is (rows × 1).
//   softmax_cross_entropy  ℓ_r = −Σ_c y·log softmax(z_r)_c, g = scale·(softmax(z_r) − y); the row
//                          max is subtracted before exp (log-sum-exp), so any finite logits work.
//   sigmoid_cross_entropy  ℓ_r = Σ_c max(z, 0) − z·y + log(1 + e^−|z|), g = scale·(σ(z) − y)
//   squared_error          ℓ_r = ½ Σ_c (a − y)², g = scale·(a − y)
// Each of these runs one work group of LOSS_GROUP items per row: item l takes columns
// l, l + LOSS_GROUP, …, and row-wide maxima and sums are tree reductions in local memory.
// Launch rows·LOSS_GROUP items in groups of LOSS_GROUP.
//
//   count_correct          counter[0] += the number of rows predicted right: for cols > 1 the first
//                          arg-max of the scores equals the first arg-max of the targets; for one
//                          column (score > threshold) == (target > 0.5). One work group of
//                          COUNT_GROUP items, each taking every COUNT_GROUP-th row, so the counter
//                          is updated once, without atomics.
//
// Tunables: LOSS_GROUP, COUNT_GROUP (both powers of 2).

#ifndef LOSS_GROUP
#define LOSS_GROUP 64
#endif
#ifndef COUNT_GROUP
#define COUNT_GROUP 256
#endif

#if (LOSS_GROUP & (LOSS_GROUP - 1)) != 0 || (COUNT_GROUP & (COUNT_GROUP - 1)) != 0
#error "loss.cl: LOSS_GROUP and COUNT_GROUP must be powers of 2"
#endif

// A row-wide sum (or maximum) over the group. The closing barrier leaves scratch free for the
// next reduction: no fast item may overwrite scratch[0] before every item has read the result.
inline float group_reduce(const float value, const int take_max, __local float* scratch) {
    const int lane = get_local_id(0);
    scratch[lane] = value;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = LOSS_GROUP / 2; stride > 0; stride >>= 1) {
        if (lane < stride) {
            const float other = scratch[lane + stride];
            scratch[lane] = take_max ? fmax(scratch[lane], other) : scratch[lane] + other;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float result = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return result;
}

inline void store_row_loss(const float partial, __local float* scratch, __global float* row_loss) {
    const float loss = group_reduce(partial, 0, scratch);
    if (get_local_id(0) == 0) {
        row_loss[get_group_id(0)] = loss;
    }
}

__kernel __attribute__((reqd_work_group_size(LOSS_GROUP, 1, 1)))
void softmax_cross_entropy(const int cols, const float scale, __global const float* logits,
                           __global const float* targets, __global float* gradient, __global float* row_loss) {
    __local float scratch[LOSS_GROUP];
    const int lane = get_local_id(0);
    const int base = get_group_id(0) * cols;
    float largest = -INFINITY;
    for (int c = lane; c < cols; c += LOSS_GROUP) {
        largest = fmax(largest, logits[base + c]);
    }
    largest = group_reduce(largest, 1, scratch);
    float exponentials = 0.0f;
    for (int c = lane; c < cols; c += LOSS_GROUP) {
        exponentials += exp(logits[base + c] - largest);
    }
    const float log_normalizer = largest + log(group_reduce(exponentials, 0, scratch));
    float loss = 0.0f;
    for (int c = lane; c < cols; c += LOSS_GROUP) {
        const float log_probability = logits[base + c] - log_normalizer;
        const float y = targets[base + c];
        loss -= y * log_probability;
        gradient[base + c] = scale * (exp(log_probability) - y);
    }
    store_row_loss(loss, scratch, row_loss);
}

// The losses made of independent elementwise terms: TERM and GRADIENT are expressions in the
// output (or logit) z and the target y.
#define ELEMENTWISE_LOSS(NAME, TERM, GRADIENT)                                                          \
__kernel __attribute__((reqd_work_group_size(LOSS_GROUP, 1, 1)))                                       \
void NAME(const int cols, const float scale, __global const float* outputs,                            \
          __global const float* targets, __global float* gradient, __global float* row_loss) {         \
    __local float scratch[LOSS_GROUP];                                                                  \
    const int base = get_group_id(0) * cols;                                                            \
    float loss = 0.0f;                                                                                  \
    for (int c = get_local_id(0); c < cols; c += LOSS_GROUP) {                                          \
        const float z = outputs[base + c];                                                              \
        const float y = targets[base + c];                                                              \
        loss += (TERM);                                                                                 \
        gradient[base + c] = scale * (GRADIENT);                                                        \
    }                                                                                                   \
    store_row_loss(loss, scratch, row_loss);                                                            \
}

ELEMENTWISE_LOSS(sigmoid_cross_entropy, fmax(z, 0.0f) - z * y + log1p(exp(-fabs(z))), sigmoid_value(z) - y)
ELEMENTWISE_LOSS(squared_error, 0.5f * (z - y) * (z - y), z - y)

inline int first_arg_max(__global const float* row, const int cols) {
    int best = 0;
    for (int c = 1; c < cols; c++) {
        if (row[c] > row[best]) {
            best = c;
        }
    }
    return best;
}

__kernel __attribute__((reqd_work_group_size(COUNT_GROUP, 1, 1)))
void count_correct(const int rows, const int cols, const float threshold, __global const float* scores,
                   __global const float* targets, __global float* counter) {
    __local int scratch[COUNT_GROUP];
    const int lane = get_local_id(0);
    int right = 0;
    for (int row = lane; row < rows; row += COUNT_GROUP) {
        if (cols == 1) {
            right += (scores[row] > threshold) == (targets[row] > 0.5f);
        } else {
            right += first_arg_max(scores + row * cols, cols) == first_arg_max(targets + row * cols, cols);
        }
    }
    scratch[lane] = right;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = COUNT_GROUP / 2; stride > 0; stride >>= 1) {
        if (lane < stride) {
            scratch[lane] += scratch[lane + stride];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 0) {
        counter[0] += (float) scratch[0];
    }
}
