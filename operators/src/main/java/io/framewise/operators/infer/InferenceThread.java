package io.framewise.operators.infer;

import io.framewise.operators.records.ModelFrame;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.ThrowingRunnable;

/**
 * The overlap of {@link BatchInferenceOperator}: one batch at a time runs here while the task thread
 * decodes and buffers the next frames. A finished batch puts a mail into the task's mailbox, so its
 * events leave on the task thread as soon as it is done, even when no further frame comes; whoever
 * needs the batch first (that mail, the next batch, a barrier, the end of input) takes it with
 * {@link #take()}, and a mail that comes after is a no-op (generations tell them apart).
 */
final class InferenceThread implements AutoCloseable {

    /** A batch that ran, with the frames it ran for. */
    record Done<B>(List<StreamRecord<ModelFrame>> frames, B batch) {
    }

    private final ExecutorService thread;
    private final MailboxExecutor mailbox;

    private CompletableFuture<?> inFlight;
    private List<StreamRecord<ModelFrame>> inFlightFrames; // arrival order
    private long generation;

    InferenceThread(String name, MailboxExecutor mailbox) {
        this.mailbox = mailbox;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    boolean busy() {
        return inFlight != null;
    }

    boolean done() {
        return inFlight != null && inFlight.isDone();
    }

    int inFlightFrames() {
        return inFlight == null ? 0 : inFlightFrames.size();
    }

    /** Starts {@code run} for {@code frames}; {@code emit} runs on the task thread once it is done. */
    <B> void start(List<StreamRecord<ModelFrame>> frames, Supplier<B> run, ThrowingRunnable<Exception> emit) {
        if (inFlight != null) {
            throw new IllegalStateException("a batch is already in flight");
        }
        inFlightFrames = frames;
        long gen = ++generation;
        CompletableFuture<B> batch = CompletableFuture.supplyAsync(run, thread);
        inFlight = batch;
        batch.whenComplete((b, e) -> {
            try {
                // a later generation: the batch was already taken by whoever waited for it
                mailbox.execute(() -> {
                    if (gen == generation) {
                        emit.run();
                    }
                }, "emit batch %s", gen);
            } catch (RejectedExecutionException closed) {
                // the task is shutting down: its finish() or cancellation owns the batch
            }
        });
    }

    /** Waits for the batch in flight and hands it over; null when none is in flight. */
    @SuppressWarnings("unchecked")
    <B> Done<B> take() throws Exception {
        if (inFlight == null) {
            return null;
        }
        B batch;
        try {
            batch = (B) inFlight.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        Done<B> done = new Done<>(inFlightFrames, batch);
        inFlight = null;
        inFlightFrames = null;
        generation++;
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        // the classifier must not be closed under a batch that is still running
        thread.shutdownNow();
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }
}
