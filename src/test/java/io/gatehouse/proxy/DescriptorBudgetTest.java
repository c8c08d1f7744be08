package io.gatehouse.proxy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default cap on the proxy port's connections, from the open-file limit. */
class DescriptorBudgetTest {

    @Test
    void halfOfWhatIsLeftAfterTheConsoleTheDatabaseAndTheSpare() {
        // (65,536 - 512 - 21 - 256) / 2, as docs/operations.md works it out
        assertEquals(32_373, DescriptorBudget.maxConnections(65_536, 512, 21));
        assertEquals((20_000 - 512 - 5 - 256) / 2, DescriptorBudget.maxConnections(20_000, 512, 5));
    }

    @Test
    void aTinyLimitStillServesSomethingAndAnUnknownOneTakesTheFixedDefault() {
        assertEquals(DescriptorBudget.MIN, DescriptorBudget.maxConnections(600, 512, 21));
        assertEquals(117, DescriptorBudget.maxConnections(1024, 512, 21));
        assertEquals(DescriptorBudget.UNKNOWN_LIMIT_DEFAULT, DescriptorBudget.maxConnections(-1, 512, 21));
        assertEquals(1_000_000, DescriptorBudget.maxConnections(Long.MAX_VALUE, 512, 21));
    }

    @Test
    void thisProcessHasALimitToReadAndTheDefaultFitsUnderIt() {
        long limit = DescriptorBudget.descriptorLimit();
        assertTrue(limit > 0, "a Unix JVM reports its open-file limit");
        assertTrue(DescriptorBudget.defaultMaxConnections() * 2L < limit);
    }
}
