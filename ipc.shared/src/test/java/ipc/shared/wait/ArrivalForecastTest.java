package ipc.shared.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The forecast's learning, on explicit arrival times: when it trusts a period, when it drops it, what it asks for. */
class ArrivalForecastTest
{
    private static final long MS = 1_000_000L;
    private static final long START = 123_456_789_000L;

    private final ArrivalForecast forecast = new ArrivalForecast();

    private long arrivals(final long first, final long... intervals)
    {
        long at = first;
        forecast.arrived(at);
        for (final long interval : intervals)
        {
            at += interval;
            forecast.arrived(at);
        }
        return at;
    }

    @Test
    void shouldTrustAPeriodOnlyAfterEnoughSteadyIntervals()
    {
        forecast.arrived(START);
        assertFalse(forecast.isConfident(), "one arrival is no period");
        long at = START;
        for (int i = 1; i < ArrivalForecast.SAMPLES_TO_TRUST; i++)
        {
            at += MS;
            forecast.arrived(at);
            assertFalse(forecast.isConfident(), i + " intervals");
        }
        at += MS;
        forecast.arrived(at);
        assertTrue(forecast.isConfident(), ArrivalForecast.SAMPLES_TO_TRUST + " steady intervals");
        assertEquals(MS, forecast.periodNanos());
        assertEquals(at + MS, forecast.dueNanos());
    }

    @Test
    void shouldWakeBeforeTheDueTimeByTheLatenessAndTwiceTheDeviationAndGiveUpAfterIt()
    {
        final long last = arrivals(START, 100 * MS, 110 * MS, 90 * MS, 110 * MS);
        assertTrue(forecast.isConfident(), "intervals within an eighth of the period");
        final long due = last + forecast.periodNanos();
        assertEquals(due, forecast.dueNanos());
        final long deviation = forecast.deviationNanos();
        assertTrue(deviation > 5 * MS && deviation < 13 * MS, "deviation=" + deviation);
        assertEquals(due - ArrivalForecast.INITIAL_LATENESS_NANOS - ArrivalForecast.MAX_SPIN_NANOS,
            forecast.wakeNanos(), "the spin before due is capped");
        assertEquals(due + ArrivalForecast.MAX_SPIN_NANOS, forecast.giveUpNanos(), "the spin past due is capped");
    }

    @Test
    void shouldSpreadTheSpinByTwiceTheDeviationWhenItIsSmall()
    {
        long at = START;
        forecast.arrived(at);
        for (int i = 0; i < 12; i++)
        {
            at += MS + (i % 2 == 0 ? 2_000 : -2_000);
            forecast.arrived(at);
        }
        assertTrue(forecast.isConfident());
        final long spread = 2 * forecast.deviationNanos() + ArrivalForecast.SPIN_MARGIN_NANOS;
        assertTrue(spread < ArrivalForecast.MAX_SPIN_NANOS, "deviation=" + forecast.deviationNanos());
        assertEquals(forecast.dueNanos() - ArrivalForecast.INITIAL_LATENESS_NANOS - spread, forecast.wakeNanos());
        assertEquals(forecast.dueNanos() + spread, forecast.giveUpNanos());
    }

    @Test
    void shouldKeepItsPeriodThroughAnOddInterval()
    {
        long at = arrivals(START, MS, MS, MS, MS);
        assertTrue(forecast.isConfident());
        at += 3 * MS;
        forecast.arrived(at);
        assertFalse(forecast.isConfident(), "a skipped beat costs the next forecast");
        assertEquals(MS, forecast.periodNanos(), "the odd interval teaches nothing");
        at += MS;
        forecast.arrived(at);
        assertTrue(forecast.isConfident(), "on time again: trusted again at once");
        assertEquals(MS, forecast.periodNanos());
        at += MS + MS / 2;
        forecast.arrived(at);
        at += MS / 2;
        forecast.arrived(at);
        at += MS;
        forecast.arrived(at);
        assertFalse(forecast.isConfident(), "a late beat and an early one cost a forecast each");
        at += MS;
        forecast.arrived(at);
        assertTrue(forecast.isConfident(), "then on time twice");
        assertEquals(MS, forecast.periodNanos());
    }

    @Test
    void shouldLearnANewPaceFromTwoOddIntervalsThatAgree()
    {
        long at = arrivals(START, MS, MS, MS, MS);
        for (int i = 0; i < 2; i++)
        {
            at += 3 * MS;
            forecast.arrived(at);
        }
        assertEquals(3 * MS, forecast.periodNanos(), "a new pace");
        assertFalse(forecast.isConfident(), "not trusted yet");
        for (int i = 0; i < 2; i++)
        {
            at += 3 * MS;
            forecast.arrived(at);
        }
        assertTrue(forecast.isConfident(), "trusted after as many steady intervals as at first");
    }

    @Test
    void shouldNotTakeABurstForANewPace()
    {
        long at = arrivals(START, MS, MS, MS, MS);
        // Three requests back to back: two short intervals that agree, but too short a pace to forecast.
        final long burst = ArrivalForecast.MIN_PERIOD_NANOS / 4;
        at += burst;
        forecast.arrived(at);
        at += burst;
        forecast.arrived(at);
        assertEquals(MS, forecast.periodNanos(), "a burst is no pace");
        at += MS;
        forecast.arrived(at);
        at += MS;
        forecast.arrived(at);
        assertTrue(forecast.isConfident(), "on time again twice");
    }

    @Test
    void shouldStartAfreshAfterAsManyOddIntervalsAsItTookToTrust()
    {
        long at = arrivals(START, MS, MS, MS, MS);
        final long[] odd = {3 * MS, 5 * MS, 2 * MS, 7 * MS};
        for (final long interval : odd)
        {
            at += interval;
            forecast.arrived(at);
            assertFalse(forecast.isConfident(), "irregular traffic: interval=" + interval);
        }
        at += 4 * MS;
        forecast.arrived(at);
        assertEquals(4 * MS, forecast.periodNanos(), "the old period is forgotten");
    }

    @Test
    void shouldDropAMissedForecastUntilTheNextArrival()
    {
        final long last = arrivals(START, MS, MS, MS, MS);
        forecast.missed();
        assertFalse(forecast.isConfident(), "a peer that stopped costs one spin");
        forecast.arrived(last + MS);
        assertTrue(forecast.isConfident(), "on time again");
    }

    @Test
    void shouldNotForecastPeriodsOutsideItsRange()
    {
        final long fast = ArrivalForecast.MIN_PERIOD_NANOS / 2;
        arrivals(START, fast, fast, fast, fast, fast);
        assertFalse(forecast.isConfident(), "the spin window's business");

        final ArrivalForecast slow = new ArrivalForecast();
        long at = START;
        for (int i = 0; i < 6; i++)
        {
            slow.arrived(at);
            at += 2 * ArrivalForecast.MAX_PERIOD_NANOS;
        }
        assertFalse(slow.isConfident(), "too rare to be worth it");
    }

    @Test
    void shouldNotTrustIntervalsThatWanderMoreThanAnEighthOfThePeriod()
    {
        // Every interval fits the period (within a quarter of it), so none is odd; their mean deviation is a fifth.
        arrivals(START, 100 * MS, 120 * MS, 80 * MS, 120 * MS, 80 * MS, 120 * MS, 80 * MS, 120 * MS);
        assertTrue(forecast.deviationNanos() > forecast.periodNanos() >> 3, "deviation=" + forecast.deviationNanos());
        assertFalse(forecast.isConfident(), "period=" + forecast.periodNanos() + " deviation=" + forecast.deviationNanos());
    }

    @Test
    void shouldNotTrustIntervalsThatAreOddOneInTwo()
    {
        arrivals(START, 100 * MS, 130 * MS, 75 * MS, 125 * MS, 80 * MS, 120 * MS);
        assertFalse(forecast.isConfident(), "period=" + forecast.periodNanos() + " deviation=" + forecast.deviationNanos());
    }

    @Test
    void shouldLearnTheTimersLatenessFastUpAndSlowlyDownAndIgnoreOutliers()
    {
        final long initial = forecast.latenessNanos();
        forecast.woke(initial + 40_000);
        assertEquals(initial + 20_000, forecast.latenessNanos(), "halfway up");
        forecast.woke(initial + 20_000 - 80_000);
        assertEquals(initial + 20_000 - 10_000, forecast.latenessNanos(), "an eighth of the way down");
        final long before = forecast.latenessNanos();
        forecast.woke(ArrivalForecast.MAX_LATENESS_NANOS + 1);
        forecast.woke(-1);
        assertEquals(before, forecast.latenessNanos(), "a descheduled waiter, or a clock gone backwards, teaches nothing");
    }

    @Test
    void shouldIgnoreArrivalsThatDoNotMoveForward()
    {
        final long last = arrivals(START, MS, MS, MS, MS);
        forecast.arrived(last);
        assertEquals(MS, forecast.periodNanos());
    }
}
