package io.lfvit.trainer.train;

/** The part every objective shares: a keep rate that follows its schedule step by step. */
abstract class ScheduledKeepRate implements Objective {
    private final KeepRateSchedule schedule;
    private double keepRate;

    ScheduledKeepRate(KeepRateSchedule schedule) {
        this.schedule = schedule;
        this.keepRate = schedule.at(0);
    }

    @Override
    public final void startStep(long step) {
        keepRate = schedule.at(step);
    }

    @Override
    public final double keepRate() {
        return keepRate;
    }
}
