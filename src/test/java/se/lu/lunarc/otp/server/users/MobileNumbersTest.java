package se.lu.lunarc.otp.server.users;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** However a directory writes a mobile number, the SMS gateway gets E.164, or nothing. */
class MobileNumbersTest {
    final MobileNumbers se = new MobileNumbers("SE");

    @Test
    void theWaysSwedishDirectoriesWriteANumberAllBecomeE164() {
        for (String written : new String[] {"070-174 06 01", "0701740601", "+46 70 174 06 01", "+46 (0)70-174 06 01",
                "0046701740601", "+46701740601"}) {
            assertThat(se.e164(written)).as(written).isEqualTo("+46701740601");
        }
        assertThat(se.e164("+47 412 34 567")).as("a Norwegian number keeps its country").isEqualTo("+4741234567");
        assertThat(new MobileNumbers("NO").e164("412 34 567")).isEqualTo("+4741234567");
    }

    @Test
    void aNumberThatIsNotOneIsReportedLikeAMissingOne() {
        for (String bad : new String[] {"12345", "n/a", "070-ABC", "+46 70", "", "   "}) {
            assertThat(se.e164(bad)).as(bad).isNull();
        }
        assertThat(se.e164(null)).isNull();
    }

    @Test
    void anUnknownRegionStopsTheStart() {
        assertThatThrownBy(() -> new MobileNumbers("Sweden")).hasMessageContaining("defaultRegion");
    }
}
