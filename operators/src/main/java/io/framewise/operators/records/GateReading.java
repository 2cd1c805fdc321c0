package io.framewise.operators.records;

/**
 * What the change gate measured for a frame it let skip inference: mean absolute difference of the
 * grayscale thumbnails and the largest block's (0..255), against the camera's last inferred frame.
 */
public record GateReading(double difference, double blockMax) {
}
