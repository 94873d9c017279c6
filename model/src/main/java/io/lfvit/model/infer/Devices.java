package io.lfvit.model.infer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** The device setting: auto (GPU when there is one), cpu, gpu or gpu:N. */
public final class Devices {
    private Devices() {}

    public static Device resolve(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        int gpus = Engine.getEngine("PyTorch").getGpuCount();
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        if (s.equals("gpu") || s.startsWith("gpu:")) {
            int id = s.equals("gpu") ? 0 : Integer.parseInt(s.substring(4));
            if (id >= gpus) {
                throw new IllegalArgumentException("device " + setting + " requested but the engine sees " + gpus
                        + " GPU(s); use device=cpu or auto");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + setting + "': use auto, cpu, gpu or gpu:N");
    }
}
