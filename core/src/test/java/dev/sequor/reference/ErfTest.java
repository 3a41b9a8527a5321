package dev.sequor.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Erf against values from C's libm (printed by Python's math.erf / math.erfc). */
class ErfTest {

    private static final double[][] ERF_ERFC = {
        {-5, -0.9999999999984626, 1.9999999999984626},
        {-3, -0.9999779095030014, 1.9999779095030015},
        {-1, -0.8427007929497149, 1.842700792949715},
        {-0.001, -0.0011283787909692365, 1.0011283787909693},
        {0, 0.0, 1.0},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {1.9999, 0.9953201979070294, 0.004679802092970608},
        {2, 0.9953222650189527, 0.004677734981047265},
        {2.5, 0.999593047982555, 0.0004069520174449589},
        {3, 0.9999779095030014, 2.2090496998585438e-05},
        {5, 0.9999999999984626, 1.5374597944280351e-12},
        {10, 1.0, 2.088487583762545e-45},
    };

    @Test
    void erfAndErfcMatchLibmToRelative1e12() {
        for (double[] row : ERF_ERFC) {
            double x = row[0];
            assertThat(Erf.erf(x)).as("erf(%s)", x).isCloseTo(row[1], within(1e-15 + 1e-14 * Math.abs(row[1])));
            assertThat(Erf.erfc(x)).as("erfc(%s)", x).isCloseTo(row[2], within(1e-12 * Math.abs(row[2])));
        }
    }

    @Test
    void specialValues() {
        assertThat(Erf.erf(Double.NaN)).isNaN();
        assertThat(Erf.erf(Double.POSITIVE_INFINITY)).isEqualTo(1.0);
        assertThat(Erf.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
        assertThat(Erf.erfc(Double.POSITIVE_INFINITY)).isEqualTo(0.0);
        assertThat(Erf.erfc(Double.NEGATIVE_INFINITY)).isEqualTo(2.0);
    }
}
