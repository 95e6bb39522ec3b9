/**
 * Results as files and pictures, independent of any method: Tablesaw tables with the kit's
 * standard columns ({@link org.wsss4j.report.Tables}), atomic CSV / Markdown / JSON-provenance
 * writing under {@code results/<experiment>/} ({@link org.wsss4j.report.ResultsWriter}, {@link
 * org.wsss4j.report.Provenance}), XChart figures ({@link org.wsss4j.report.Charts}) and image
 * overlays ({@link org.wsss4j.report.Overlays}).
 *
 * <p>Everything renders headless ({@code java.awt.headless=true}); on Debian the JDK needs
 * {@code fontconfig} and {@code fonts-dejavu-core} for any text (XChart #648).
 */
package org.wsss4j.report;
