package com.employable.flotilla.billing.projection;

import com.employable.flotilla.billing.projection.Projection.Month;
import com.employable.flotilla.billing.projection.Projection.Provider;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/** The chart of {@code docs/cost-analysis.md}: the growth scenario's monthly fleet cost, a line per provider. */
final class CostChart {

    private CostChart() {}

    /** A line per provider: monthly fleet cost over the scenario's months. */
    static String svg(Projection projection) {
        List<Month> months = projection.months(CostAnalysisDoc.SCENARIO);
        int width = 760;
        int height = 420;
        int left = 80;
        int right = 220;
        int top = 30;
        int bottom = 50;
        BigDecimal max = months.stream()
                .flatMap(month -> month.cost().values().stream())
                .max(BigDecimal::compareTo)
                .orElse(BigDecimal.ONE);
        double plotWidth = width - left - right;
        double plotHeight = height - top - bottom;
        String[] colors = {"#7b3fe4", "#b794f4", "#ff9900", "#c97a00", "#4285f4", "#008ad7"};
        var svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"")
                .append(left)
                .append("\" y=\"18\" font-size=\"14\">Monthly fleet cost (USD), ")
                .append(CostAnalysisDoc.SCENARIO.profile().name())
                .append("</text>\n");
        for (int i = 0; i <= 4; i++) {
            double y = top + plotHeight - plotHeight * i / 4;
            BigDecimal value =
                    max.multiply(BigDecimal.valueOf(i)).divide(BigDecimal.valueOf(4), 0, RoundingMode.HALF_UP);
            svg.append(String.format(
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    left, y, left + plotWidth, y));
            svg.append(String.format(
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left - 6, y + 4, Projection.money(value).replace(".00", "")));
        }
        for (Month month : months) {
            if (month.index() % 6 == 0 || month.index() == 1) {
                double x = left + plotWidth * (month.index() - 1) / Math.max(1, months.size() - 1);
                svg.append(String.format(
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">m%d</text>%n",
                        x, height - bottom + 18, month.index()));
            }
        }
        int series = 0;
        for (Provider provider : Provider.values()) {
            var points = new StringBuilder();
            for (Month month : months) {
                double x = left + plotWidth * (month.index() - 1) / Math.max(1, months.size() - 1);
                double y = top
                        + plotHeight
                        - plotHeight * month.cost().get(provider).doubleValue() / max.doubleValue();
                points.append(String.format("%.1f,%.1f ", x, y));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(colors[series])
                    .append("\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>\n");
            svg.append(String.format(
                    "<text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text>%n",
                    left + plotWidth + 10, top + 16 * series + 10, colors[series], provider.label));
            series++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }
}
