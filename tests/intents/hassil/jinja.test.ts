import { describe, expect, it } from "vitest";
import { JinjaFunction, parseJinja, type Value } from "../../../src/intents/hassil/jinja.js";

const render = (src: string, vars: Record<string, Value> = {}) => parseJinja(src).render(vars);

describe("response templates", () => {
  it("prints values, attributes, subscripts and slices", () => {
    expect(
      render("{{ slots.name | capitalize }} is {{ state.state }}", {
        slots: { name: "kitchen light" },
        state: { state: "on" },
      }),
    ).toBe("Kitchen light is on");
    expect(render("{{ xs[0] }} {{ xs[-1] }} {{ xs[:2] | join(', ') }}", { xs: ["a", "b", "c"] })).toBe(
      "a c a, b",
    );
  });

  it("runs if / elif / else, for with loop, and set", () => {
    const t =
      "{% set names = items | map(attribute='name') | sort | list %}" +
      "{% for n in names -%}{% if not loop.first and not loop.last %}, {% elif loop.last and not loop.first %} and {% endif -%}{{ n }}{%- endfor %}";
    expect(render(t, { items: [{ name: "b" }, { name: "a" }, { name: "c" }] })).toBe("a, b and c");
    expect(render("{% if x == 1: %}one{% elif x > 1 %}many{% else: %}none{% endif %}", { x: 3 })).toBe(
      "many",
    );
  });

  it("evaluates the expressions the packs use", () => {
    expect(render("{{ 'a' ~ 1 ~ (' x' if n in ['1', 'one'] else ' y') }}", { n: "1" })).toBe("a1 x");
    expect(render("{{ [a, b, c] | select() | list | count }}", { a: "x", b: "", c: "z" })).toBe("2");
    expect(render("{{ '{0:02d}'.format(m) }}", { m: 5 })).toBe("05");
    expect(render("{{ d.get('k', 'none') }}/{{ d.get('z', 'none') }}", { d: { k: "v" } })).toBe("v/none");
    expect(render("{{ s | float(s) is number }} {{ t | float(t) is number }}", { s: "21.5", t: "on" })).toBe(
      "True False",
    );
    expect(render("{{ xs | selectattr('on') | list | length }}", { xs: [{ on: true }, { on: false }] })).toBe(
      "1",
    );
    expect(render("{{ x if x is defined else 'nothing' }}")).toBe("nothing");
    expect(render("{{ (xs | length - 3) }}", { xs: [1, 2, 3, 4, 5] })).toBe("2");
    expect(render("{{ f(2) }}", { f: new JinjaFunction(([x]) => Number(x) * 2) })).toBe("4");
  });

  it("reaches nothing Hearth did not hand in", () => {
    expect(
      render("{{ s.constructor }}{{ x.__proto__ }}{{ ''.constructor }}{{ d.toString }}", { s: "a", d: {} }),
    ).toBe("");
    expect(render("{{ s.constructor.constructor('return 1')() }}", { s: "a" })).toBe("");
  });

  it("refuses a template that does not parse, saying where", () => {
    expect(() => parseJinja("a\n{% if x %}b")).toThrow(/line 2: 'if' without 'endif'/);
    expect(() => parseJinja("{{ x | explode }}")).toThrow(/unknown filter 'explode'/);
    expect(() => parseJinja("{% frobnicate %}")).toThrow(/unknown statement/);
    expect(() => parseJinja("{{ x ")).toThrow(/unclosed/);
  });

  it("stops a template that runs too long", () => {
    const t = "{% for a in xs %}{% for b in xs %}{% for c in xs %}.{% endfor %}{% endfor %}{% endfor %}";
    const xs = Array.from({ length: 100 }, (_, i) => i);
    expect(() => render(t, { xs })).toThrow(/too long/);
  });
});
