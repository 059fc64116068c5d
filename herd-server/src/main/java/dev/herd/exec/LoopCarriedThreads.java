package dev.herd.exec;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/*
 * design: a virtual thread runs on whatever executor its builder was given; the JDK keeps that
 * constructor of its virtual thread builder internal (the public builder always uses its
 * ForkJoinPool). herd opens java.lang to reach it (WorkerLauncher adds the --add-opens for
 * --virtual-scheduler loop only), so that an event loop can carry the virtual threads of the
 * requests it read: starting one queues its first run on the loop, which is the thread already
 * running, and a response written from it is on the loop already. A virtual thread that parks
 * (sleep, socket I/O, locks) gives the loop back; its wake-up is a task queued on the loop.
 */

/** Factories of virtual threads carried by a given executor (an event loop). */
final class LoopCarriedThreads {

    static final String OPENS = "java.base/java.lang=ALL-UNNAMED";

    private static final Constructor<?> BUILDER = builderConstructor();

    private LoopCarriedThreads() {
    }

    /** Virtual threads named {@code prefix-1}, {@code prefix-2}, ... whose carrier is {@code loop}. */
    static ThreadFactory factory(Executor loop, String prefix) {
        requireAvailable();
        try {
            return ((Thread.Builder.OfVirtual) BUILDER.newInstance(loop)).name(prefix + "-", 1).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make loop-carried virtual threads: " + e, e);
        }
    }

    /** Fails unless this JVM can make them: a JDK without that constructor, or without the opens, cannot. */
    static void requireAvailable() {
        if (BUILDER == null) {
            throw new IllegalStateException("--virtual-scheduler loop needs the JDK's virtual thread builder with a"
                    + " scheduler (java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)) and --add-opens "
                    + OPENS + "; this JVM has not both: use --virtual-scheduler pool");
        }
    }

    private static Constructor<?> builderConstructor() {
        try {
            Constructor<?> constructor = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
