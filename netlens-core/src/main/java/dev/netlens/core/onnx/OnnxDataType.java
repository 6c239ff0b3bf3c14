package dev.netlens.core.onnx;

/** ONNX TensorProto.DataType codes (public facts of the ONNX format). */
public enum OnnxDataType {
    UNDEFINED(0, 0),
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    UINT16(4, 2),
    INT16(5, 2),
    INT32(6, 4),
    INT64(7, 8),
    STRING(8, 0),
    BOOL(9, 1),
    FLOAT16(10, 2),
    DOUBLE(11, 8),
    UINT32(12, 4),
    UINT64(13, 8),
    COMPLEX64(14, 8),
    COMPLEX128(15, 16),
    BFLOAT16(16, 2),
    FLOAT8E4M3FN(17, 1),
    FLOAT8E4M3FNUZ(18, 1),
    FLOAT8E5M2(19, 1),
    FLOAT8E5M2FNUZ(20, 1),
    UINT4(21, 0),
    INT4(22, 0);

    private final int code;
    private final int bytes;

    OnnxDataType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The ONNX enum value. */
    public int code() {
        return code;
    }

    /** Bytes per element in raw_data (0 for strings and sub-byte types). */
    public int bytesPerElement() {
        return bytes;
    }

    /** The type for an ONNX code; unknown codes map to {@link #UNDEFINED}. */
    public static OnnxDataType of(int code) {
        for (OnnxDataType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return UNDEFINED;
    }

    /** Whether values convert to float32 for netlens' engine (integers, bools, floating types). */
    public boolean isNumeric() {
        return this != UNDEFINED && this != STRING && this != COMPLEX64 && this != COMPLEX128
                && this != UINT4 && this != INT4;
    }

    /** Whether this is an integer or boolean type. */
    public boolean isIntegral() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, BOOL, UINT32, UINT64 -> true;
            default -> false;
        };
    }
}
