import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

public class Crash_32cc0967373e1aacc0b4a15d44c347ea336eb5f2 {
    static final String base64Bytes = String.join("", "ewogICJmb3JtYXQiIDogImhvdHBhdGgtcnVuLzEiLAogICJjb21tYW5kIiA6IFsgImphdmEiLCAiLVhYOk5hdGl2ZU1lbW9yeVRyYWNraW5nPXN1bW1hcnkiLCAiLVhsb2c6Z2MqLHNhZmVwb2ludDpmaWxlPS90bXAvc2VlZHMvcnVuL2djLmxvZzp0aW1lLHVwdGltZSxsZXZlbCx0YWdzIiwgIi1YbXgxNm0iLCAiLWNwIiwgIi90bXAvc2VlZHMiLCAiSG9zdCIgXSwKICAiamRrIiA6ICIxNy4wLjE1IiwKICAicGlkIiA6IDE1MTAwLAogICJzdGFydGVkQXQiIDogIjIwMjYtMTEtMjVUMTM6MjI6MjUuNDA0NjM0NDU5WiIsCiAgImVuZGVkQXQiIDogIjIwMjYtMTEtMjVUMTM6MjI6MjcuNjkzMTk3NjU4WiIsCiAgImV4aXRDb2RlIiA6IDAsCiAgImVudmlyb25tZW50IiA6IHsgfSwKICAiYXJ0aWZhY3RzIiA6IFsgewogICAgInBhdGgiIDogImdjLmxvZyIsCiAgICAidHlwZSIgOiAiZ2Nsb2ciCiAgfSwgewogICAgInBhdGgiIDogIm5tdC9zdW1tYXJ5LTAwMDEudHh0IiwKICAgICJ0eXBlIiA6ICJubXQiCiAgfSwgewogICAgInBhdGgiIDogIm5tdC9zdW1tYXJ5LmRpZmYudHh0IiwKICAgICJ0eXBlIiA6ICJubXQiCiAgfSwgewogICAgInBhdGgiIDogInJzcy5jc3YiLAogICAgInR5cGUiIDogInJzcyIKICB9IF0sCiAgInN0b3BwZWRCeSIgOiAiZXhpdCIsCiAgIm5vdGVzIiA6IFsgXQp9");

    public static void main(String[] args) throws Throwable {
        Crash_32cc0967373e1aacc0b4a15d44c347ea336eb5f2.class.getClassLoader().setDefaultAssertionStatus(true);
        try {
            Method fuzzerInitialize = dev.hotpath.analyzer.fuzz.FuzzEntry.class.getMethod("fuzzerInitialize");
            fuzzerInitialize.invoke(null);
        } catch (NoSuchMethodException ignored) {
            try {
                Method fuzzerInitialize = dev.hotpath.analyzer.fuzz.FuzzEntry.class.getMethod("fuzzerInitialize", String[].class);
                fuzzerInitialize.invoke(null, (Object) args);
            } catch (NoSuchMethodException ignored1) {
            } catch (IllegalAccessException | InvocationTargetException e) {
                e.printStackTrace();
                System.exit(1);
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            e.printStackTrace();
            System.exit(1);
        }
        byte[] input = java.util.Base64.getDecoder().decode(base64Bytes);
        dev.hotpath.analyzer.fuzz.FuzzEntry.fuzzerTestOneInput(input);
    }
}