// data.cl — data movement that stays on the device.
//
// Layout: matrices are row-major; indices is an int32 vector.
//   gather_rows(cols, offset, indices, source, destination)
//       destination[r·cols + c] = source[indices[offset + r]·cols + c]
//       2-D launch: dimension 0 over columns, 1 over destination rows (rounded up; guarded);
//       the host has checked every index against the source's rows.
//   fill(n, value, matrix)            matrix[e] = value
//   copy(n, source, destination)      destination[e] = source[e]
//       one work item per element (launch n rounded up; guarded).

__kernel void gather_rows(const int rows, const int cols, const int offset, __global const int* indices,
                          __global const float* source, __global float* destination) {
    const int col = get_global_id(0);
    const int row = get_global_id(1);
    if (col < cols && row < rows) {
        destination[row * cols + col] = source[indices[offset + row] * cols + col];
    }
}

__kernel void fill(const int n, const float value, __global float* matrix) {
    const int e = get_global_id(0);
    if (e < n) {
        matrix[e] = value;
    }
}

__kernel void copy(const int n, __global const float* source, __global float* destination) {
    const int e = get_global_id(0);
    if (e < n) {
        destination[e] = source[e];
    }
}
