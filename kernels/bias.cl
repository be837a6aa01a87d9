// bias.cl — the bias of a dense layer, forward and backward.
//
// Layout: matrix is (rows × cols) row-major, bias and result are (1 × cols).
//   add_row_vector: matrix[r·cols + c] += bias[c]
//                   2-D launch: dimension 0 over columns, 1 over rows (rounded up; guarded).
//   column_sums:    result[c] = α·Σ_r matrix[r·cols + c] + β·result[c]  (result not read when β = 0)
//                   a parallel reduction: work group g takes columns g·COLUMN_GROUP + [0, COLUMN_GROUP);
//                   its ROW_SPLIT rows of work items each sum every ROW_SPLIT-th matrix row (reads
//                   coalesced along the columns), then a tree reduction in local memory combines
//                   the ROW_SPLIT partial sums. Launch (⌈cols/COLUMN_GROUP⌉·COLUMN_GROUP, ROW_SPLIT).
//
// Tunables: COLUMN_GROUP (columns per work group), ROW_SPLIT (partial sums per column, a power of 2).

#ifndef COLUMN_GROUP
#define COLUMN_GROUP 32
#endif
#ifndef ROW_SPLIT
#define ROW_SPLIT 8
#endif

#if (ROW_SPLIT & (ROW_SPLIT - 1)) != 0
#error "bias.cl: ROW_SPLIT must be a power of 2"
#endif

__kernel void add_row_vector(const int rows, const int cols, __global const float* bias, __global float* matrix) {
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    if (col < cols && row < rows) {
        matrix[row * cols + col] += bias[col];
    }
}

__kernel __attribute__((reqd_work_group_size(COLUMN_GROUP, ROW_SPLIT, 1)))
void column_sums(const int rows, const int cols, const float alpha, const float beta,
                 __global const float* matrix, __global float* result) {
    __local float partial[ROW_SPLIT][COLUMN_GROUP];
    const int lane = get_local_id(0);
    const int split = get_local_id(1);
    const int col = get_group_id(0) * COLUMN_GROUP + lane;
    float sum = 0.0f;
    if (col < cols) {
        for (int row = split; row < rows; row += ROW_SPLIT) {
            sum += matrix[row * cols + col];
        }
    }
    partial[split][lane] = sum;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int stride = ROW_SPLIT / 2; stride > 0; stride >>= 1) {
        if (split < stride) {
            partial[split][lane] += partial[split + stride][lane];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (split == 0 && col < cols) {
        const float scaled = alpha * partial[0][lane];
        result[col] = beta == 0.0f ? scaled : scaled + beta * result[col];
    }
}
