package io.framewise.inference.model;

/**
 * A model file we cannot load faithfully: malformed, truncated, hostile, or using an operator,
 * option or quantization scheme the float graph does not support. Unchecked because a bad model is
 * a configuration error the caller cannot repair; the message names the op, tensor or option.
 */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
