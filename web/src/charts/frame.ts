/** The common start of every chart: size the SVG, clear it, write the title. */
import { type Selection, select } from "d3";

export function chartFrame(
  svg: SVGSVGElement,
  width: number,
  height: number,
  left: number,
  title: string,
): Selection<SVGSVGElement, unknown, null, undefined> {
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const root = select(svg);
  root.selectAll("*").remove();
  root.append("text").attr("class", "chart-title").attr("x", left).attr("y", 14).text(title);
  return root;
}
