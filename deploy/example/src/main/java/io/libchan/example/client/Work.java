package io.libchan.example.client;

import java.util.function.IntConsumer;

/** What a {@link PoolWorker} does with a task: compute a result, reporting progress (0-100) as it goes. */
@FunctionalInterface
public interface Work {
    /**
     * @param task the job's task text
     * @param progress call with a percentage whenever there is news; cheap, never blocks for long
     * @return the result, any message value (a string, a map, a record...)
     * @throws Exception to answer the job with an error reply instead
     */
    Object run(String task, IntConsumer progress) throws Exception;

    /**
     * The demo's work: the task's words, upper-cased one at a time, one progress event per word.
     * A task containing {@code boom} fails, to show a worker's error reaching the client.
     */
    static Work shout() {
        return (task, progress) -> {
            if (task.contains("boom")) {
                throw new IllegalArgumentException("this worker refuses tasks with 'boom' in them");
            }
            String[] words = task.trim().split("\\s+");
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < words.length; i++) {
                out.append(i == 0 ? "" : " ").append(words[i].toUpperCase(java.util.Locale.ROOT));
                progress.accept((i + 1) * 100 / words.length);
            }
            return out.toString();
        };
    }
}
