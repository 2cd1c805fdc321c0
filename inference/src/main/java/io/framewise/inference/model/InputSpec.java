package io.framewise.inference.model;

/**
 * What the model expects as its input image.
 *
 * <p>A raw pixel byte {@code p} (0..255) is mapped to the real value the first layer sees by the
 * model's own input quantization: {@code real = (p - zeroPoint) * scale} for uint8 inputs. For float
 * inputs the conventional MobileNet mapping {@code (p - 127.5) / 127.5} is expressed the same way
 * (zeroPoint 127.5, scale 1/127.5).
 */
public record InputSpec(int height, int width, int channels, float scale, float zeroPoint, String tensorType) {
}
