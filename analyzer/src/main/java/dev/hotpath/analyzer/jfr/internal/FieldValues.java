package dev.hotpath.analyzer.jfr.internal;

import jdk.jfr.consumer.RecordedObject;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The parsed values of a {@link RecordedObject}, in the order of its {@code getFields()}. The consumer API reads a
 * field only by name, and each such read walks the field list comparing names, twice for {@code getString} and
 * {@code getStackTrace}: on a dense recording that cost more than parsing the event (JfrIngestBench). The values
 * sit in {@code RecordedObject.objects}, one array per event, in field order; this class reads that array through
 * a private lookup when {@code jdk.jfr/jdk.jfr.consumer} is opened to us ({@code --add-opens}), else through
 * {@code sun.misc.Unsafe} on JDK 17–23 (from JDK 24 on, Unsafe's field access prints a warning: there only the
 * opened module helps). Where neither works, {@link #available} is false and callers read by name.
 * Since hotpath reads complete chunks with its own reader ({@code jfr.read}), only {@link EventTimes} (the
 * {@code RecordingFile} fallback's time fields) still goes through here.
 */
public final class FieldValues {
    private static final MethodHandle READ = reader();

    private FieldValues() {
    }

    /** Whether {@link #of} reads the values array on this JVM. */
    public static boolean available() {
        return READ != null && !Boolean.getBoolean("hotpath.jfr.fieldsByName");
    }

    /** The object's values in field order, or {@code null} when they cannot be read here. */
    public static Object[] of(RecordedObject o) {
        if (READ == null) {
            return null;
        }
        try {
            return (Object[]) READ.invokeExact(o);
        } catch (Throwable t) {
            return null;
        }
    }

    private static MethodHandle reader() {
        return privateField(RecordedObject.class, "objects", Object[].class);
    }

    /**
     * A getter {@code (owner) -> type} of the instance field {@code owner.name}: through a private lookup when the
     * module is opened to us, else through {@code sun.misc.Unsafe} on JDK 17–23; {@code null} where neither works
     * or the field is missing or of another type (another JDK's internals).
     */
    static MethodHandle privateField(Class<?> owner, String name, Class<?> type) {
        Field f;
        try {
            f = owner.getDeclaredField(name);
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
        if (f.getType() != type || Modifier.isStatic(f.getModifiers())) {
            return null;
        }
        MethodType getter = MethodType.methodType(type, owner);
        try {
            VarHandle vh = MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectVarHandle(f);
            return vh.toMethodHandle(VarHandle.AccessMode.GET).asType(getter);
        } catch (IllegalAccessException | RuntimeException notOpened) {
            // the usual case outside the CLI's jar: fall through to Unsafe
        }
        if (Runtime.version().feature() >= 24) {
            return null;
        }
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            Object unsafe = theUnsafe.get(null);
            long offset = (long) unsafeClass.getMethod("objectFieldOffset", Field.class).invoke(unsafe, f);
            MethodHandle get = type == long.class
                    ? MethodHandles.lookup().findVirtual(unsafeClass, "getLong",
                    MethodType.methodType(long.class, Object.class, long.class))
                    : MethodHandles.lookup().findVirtual(unsafeClass, "getObject",
                    MethodType.methodType(Object.class, Object.class, long.class));
            return MethodHandles.insertArguments(get.bindTo(unsafe), 1, offset).asType(getter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
