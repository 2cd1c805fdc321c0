package io.framewise.pipeline.loadtest;

import io.framewise.pipeline.local.LocalFlink;
import java.net.URI;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;

/** The job under load: on the local MiniCluster or on the multi-process cluster ({@link ClusterJob}). */
public interface RunningJob {

    String id();

    /** The JobManager's REST API and web UI. */
    URI webUrl() throws Exception;

    JobStatus status() throws Exception;

    void cancel(Duration timeout) throws Exception;

    /** A job the local MiniCluster runs. */
    static RunningJob local(LocalFlink flink, JobID job) {
        return new RunningJob() {
            @Override
            public String id() {
                return job.toHexString();
            }

            @Override
            public URI webUrl() throws Exception {
                return flink.webUrl();
            }

            @Override
            public JobStatus status() throws Exception {
                return flink.status(job);
            }

            @Override
            public void cancel(Duration timeout) throws Exception {
                flink.cancel(job, timeout);
            }
        };
    }
}
