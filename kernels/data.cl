// data.cl — data movement that stays on the device.
//
// Layout: matrices are row-major; indices is an int32 vector.
//   gather_rows(cols, offset, indices, source, destination)
//       destination[r·cols + c] = source[indices[offset + r]·cols + c]
//       2-D launch: dimension 0 over columns, 1 over destination rows (rounded up; guarded);
//       the host has checked every index against the source's rows.
//   fill(n, value, matrix)            matrix[e] = value
//   copy(n, source, destination)      destination[e] = source[e]
//       work item i owns elements 4i .. 4i+3, moved as one float4 when all four are in bounds
//       (buffers are float4-aligned), element by element in the last, partial quad; launch
//       ⌈n/4⌉ items rounded up (guarded). One float per item leaves a large GPU well short of
//       its memory bandwidth; float4s reach it.

__kernel void gather_rows(const int rows, const int cols, const int offset, __global const int* indices,
                          __global const float* source, __global float* destination) {
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    if (col < cols && row < rows) {
        destination[row * cols + col] = source[indices[offset + row] * cols + col];
    }
}

__kernel void fill(const int n, const float value, __global float* matrix) {
    const int i = get_global_id(0);
    if (4 * i + 3 < n) {
        ((__global float4*) matrix)[i] = (float4) (value);
    } else {
        for (int e = 4 * i; e < n; e++) {
            matrix[e] = value;
        }
    }
}

__kernel void copy(const int n, __global const float* source, __global float* destination) {
    const int i = get_global_id(0);
    if (4 * i + 3 < n) {
        ((__global float4*) destination)[i] = ((__global const float4*) source)[i];
    } else {
        for (int e = 4 * i; e < n; e++) {
            destination[e] = source[e];
        }
    }
}
