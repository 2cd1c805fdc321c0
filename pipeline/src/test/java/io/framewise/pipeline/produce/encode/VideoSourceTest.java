package io.framewise.pipeline.produce.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewise.operators.decode.SharedData;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class VideoSourceTest {

    @Test
    void urlsAreLivePathsAreNot() {
        assertTrue(VideoSource.isUrl("rtsp://10.0.0.7/stream1"));
        assertTrue(VideoSource.isUrl("http://cam/mjpeg"));
        assertFalse(VideoSource.isUrl("/data/clip.mp4"));
        assertFalse(VideoSource.isUrl("C:clip.mp4"));
    }

    @Test
    void unreachableStreamIsOneReadableMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtsp://127.0.0.1:" + port + "/none";
        IOException e = assertThrows(IOException.class, () -> VideoSource.open(url));
        assertTrue(e.getMessage().startsWith("cannot open video source '" + url + "': avformat_open_input() error"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("Could not open input \"" + url + "\"."), e.getMessage());
    }

    @Test
    void openReportsTheClipsProperties() throws Exception {
        try (VideoSource s = VideoSource.open(SharedData.video("car-detection.mp4").toString())) {
            assertEquals(768, s.width());
            assertEquals(432, s.height());
            assertEquals(12.5, s.frameRate(), 1e-9);
            assertTrue(s.isH264());
            assertEquals(377, s.lengthInFrames());
            assertFalse(s.live());
        }
    }
}
