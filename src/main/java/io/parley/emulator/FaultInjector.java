package io.parley.emulator;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Draws the fault of each visitor call according to the {@link FaultPlan} of that call. Each call
 * has a plan and a random sequence of its own, so that, say, the sends of one chat meet the same
 * faults in the same order on every run with the same seed, however polls interleave with them.
 */
public final class FaultInjector {

    private final Map<String, Drawn> plans = new TreeMap<>();

    /** The plan of each call that has one, by call name. */
    public synchronized Map<String, FaultPlan> plans() {
        Map<String, FaultPlan> current = new TreeMap<>();
        plans.forEach((call, drawn) -> current.put(call, drawn.plan));
        return current;
    }

    /**
     * Sets the plan of the calls it names (every call when it names none), leaving the others'
     * as they are, and restarts their random sequences from the plan's seed.
     */
    public synchronized void apply(FaultPlan plan) {
        for (String call : FaultPlan.CALLS) {
            if (plan.affects(call)) {
                if (plan.isHarmless()) {
                    plans.remove(call);
                } else {
                    plans.put(call, new Drawn(plan, new Random(plan.seed() * 31 + call.hashCode())));
                }
            }
        }
    }

    /** Clears every plan. */
    public synchronized void clear() {
        plans.clear();
    }

    public synchronized Fault next(String call) {
        Drawn drawn = plans.get(call);
        if (drawn == null) {
            return Fault.NONE;
        }
        FaultPlan plan = drawn.plan;
        double draw = drawn.random.nextDouble();
        Fault.Kind kind = Fault.Kind.NONE;
        double bound = plan.errorRate();
        if (draw < bound) {
            kind = Fault.Kind.ERROR;
        } else if (draw < (bound += plan.errorAfterRate())) {
            kind = Fault.Kind.ERROR_AFTER;
        } else if (draw < (bound += plan.dropRate())) {
            kind = Fault.Kind.DROP;
        } else if (draw < (bound += plan.malformedRate())) {
            kind = Fault.Kind.MALFORMED;
        } else if (draw < bound + plan.disorderRate()) {
            kind = Fault.Kind.DISORDER;
        }
        return new Fault(kind, plan.latencyMillis(), plan.errorStatus());
    }

    /** A random pick among equally likely variants, from the call's repeatable sequence. */
    public synchronized int pick(String call, int variants) {
        Drawn drawn = plans.get(call);
        return drawn == null ? 0 : drawn.random.nextInt(variants);
    }

    /** A call's plan and its random sequence. */
    private record Drawn(FaultPlan plan, Random random) {
    }
}
