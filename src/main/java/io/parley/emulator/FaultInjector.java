package io.parley.emulator;

import java.util.Random;

/** Draws the fault of each visitor call according to the current {@link FaultPlan}. */
public final class FaultInjector {

    private FaultPlan plan = FaultPlan.NONE;
    private Random random = new Random(FaultPlan.NONE.seed());

    public synchronized FaultPlan plan() {
        return plan;
    }

    /** Replaces the plan and restarts its random sequence from the plan's seed. */
    public synchronized void apply(FaultPlan newPlan) {
        plan = newPlan;
        random = new Random(newPlan.seed());
    }

    public synchronized Fault next(String call) {
        if (plan == FaultPlan.NONE || !plan.affects(call)) {
            return Fault.NONE;
        }
        double draw = random.nextDouble();
        Fault.Kind kind = Fault.Kind.NONE;
        if (draw < plan.errorRate()) {
            kind = Fault.Kind.ERROR;
        } else if (draw < plan.errorRate() + plan.dropRate()) {
            kind = Fault.Kind.DROP;
        } else if (draw < plan.errorRate() + plan.dropRate() + plan.malformedRate()) {
            kind = Fault.Kind.MALFORMED;
        } else if (draw < plan.errorRate() + plan.dropRate() + plan.malformedRate() + plan.disorderRate()) {
            kind = Fault.Kind.DISORDER;
        }
        return new Fault(kind, plan.latencyMillis());
    }

    /** A random pick among equally likely variants, from the same repeatable sequence. */
    public synchronized int pick(int variants) {
        return random.nextInt(variants);
    }
}
