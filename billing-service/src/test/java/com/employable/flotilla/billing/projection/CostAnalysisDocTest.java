package com.employable.flotilla.billing.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed documents are what the generator computes from the price book and the cost model: the cost analysis,
 * its chart, and the generated block of the evaluation. {@code -Dflotilla.docs.write=true} rewrites them.
 */
class CostAnalysisDocTest {

    private static final Path DOCS =
            Path.of(System.getProperty("flotilla.module.dir", ".")).resolve("../docs");

    @Test
    void theCommittedDocumentsAreWhatTheCodeComputes() throws IOException {
        Projection projection = CostAnalysisDoc.current();
        if (Boolean.getBoolean("flotilla.docs.write")) {
            CostAnalysisDoc.write(DOCS, projection);
        }
        assertThat(Files.readString(DOCS.resolve("cost-analysis.md")))
                .as("docs/cost-analysis.md is stale: regenerate with -Dflotilla.docs.write=true")
                .isEqualTo(CostAnalysisDoc.markdown(projection));
        assertThat(Files.readString(DOCS.resolve("cost-analysis.svg"))).isEqualTo(CostAnalysisDoc.svg(projection));
        assertThat(GeneratedBlocks.extract(Files.readString(DOCS.resolve("evaluation.md")), EvaluationCostBlock.NAME))
                .as("the cost block of docs/evaluation.md is stale: regenerate with -Dflotilla.docs.write=true")
                .isEqualTo(EvaluationCostBlock.markdown(projection));
    }

    @Test
    void aHandEditedNumberInTheEvaluationsBlockIsCaughtAndRegenerationPutsItBack(@TempDir Path docs)
            throws IOException {
        Projection projection = CostAnalysisDoc.current();
        String block = EvaluationCostBlock.markdown(projection);
        String evaluation = "# Evaluation\n\nProse.\n\n" + GeneratedBlocks.open(EvaluationCostBlock.NAME) + block
                + GeneratedBlocks.close(EvaluationCostBlock.NAME) + "\n\nMore prose.\n";
        String edited = evaluation.replaceFirst("\\$\\d+\\.\\d\\d", "\\$0.01");
        assertThat(edited).isNotEqualTo(evaluation);
        assertThat(GeneratedBlocks.extract(edited, EvaluationCostBlock.NAME)).isNotEqualTo(block);

        Files.writeString(docs.resolve("evaluation.md"), edited);
        CostAnalysisDoc.write(docs, projection);
        assertThat(Files.readString(docs.resolve("evaluation.md"))).isEqualTo(evaluation);
        assertThat(Files.readString(docs.resolve("cost-analysis.md"))).isEqualTo(CostAnalysisDoc.markdown(projection));
    }

    @Test
    void aDocumentWithoutItsMarkersOrWithTwoBlocksIsRefused() {
        String block = GeneratedBlocks.open("cost-table") + "x" + GeneratedBlocks.close("cost-table");
        assertThatThrownBy(() -> GeneratedBlocks.extract("no markers", "cost-table"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<!-- generated:cost-table -->");
        assertThatThrownBy(() -> GeneratedBlocks.replace(block + block, "cost-table", "y"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(GeneratedBlocks.replace("a" + block + "b", "cost-table", "y"))
                .isEqualTo("a" + GeneratedBlocks.open("cost-table") + "y" + GeneratedBlocks.close("cost-table") + "b");
    }

    @Test
    void theIdleFractionIsAPlaceholderUntilMeasuredAndPricesTheProfilesOnceItIs() {
        Projection current = CostAnalysisDoc.current();
        // whatever cost-model.json holds today: a model without the measurement, and one with it
        Projection unmeasured = new Projection(current.book(), current.model().withIdleFraction(null));
        String placeholder = CostAnalysisDoc.markdown(unmeasured);
        assertThat(placeholder).contains("Measured: <!-- figure: idle-fraction -->TBD");
        assertThat(placeholder).contains("| team | business hours with autostop (8 h x 22 days) | $0.91 | TBD |");

        Projection measured =
                new Projection(unmeasured.book(), unmeasured.model().withIdleFraction(new BigDecimal("0.9")));
        String filled = CostAnalysisDoc.markdown(measured);
        assertThat(filled).doesNotContain("<!-- figure: idle-fraction -->").contains("Measured: 90% (0.9)");
        // team plan, business hours: 176 h busy plus a tenth of the 554 idle hours awake = 231.4 h at $3.195 per
        // 730 h, 498.6 h of 1 GB rootfs at $0.15 per 720 h, $0.02 of egress
        assertThat(filled).contains("| team | business hours with autostop (8 h x 22 days) | $0.91 | $1.14 |");
    }
}
