import { describe, expect, it } from "vitest";
import {
  compileTemplate,
  evaluateValueTemplate,
  renderTemplate,
} from "../../../src/mqtt/ha/value-template.js";

const evaluate = (template: string, payload: string) => evaluateValueTemplate(template, payload);

describe("evaluateValueTemplate", () => {
  it("renders value and value_json lookups with and without spaces", () => {
    expect(evaluate("{{ value }}", "ON")).toEqual({ value: "ON" });
    expect(evaluate("{{value_json.POWER}}", '{"POWER":"OFF"}')).toEqual({ value: "OFF" });
    expect(evaluate("{{ value_json.a.b }}", '{"a":{"b":21.5}}')).toEqual({ value: "21.5" });
    expect(evaluate("{{ value_json['state'] }}", '{"state":"ON"}')).toEqual({ value: "ON" });
    expect(evaluate('{{ value_json["with-dash"] }}', '{"with-dash":7}')).toEqual({ value: "7" });
    expect(evaluate("{{ value_json.list[1] }}", '{"list":[1,2,3]}')).toEqual({ value: "2" });
    expect(evaluate("{{ value_json.list[-1] }}", '{"list":[1,2,3]}')).toEqual({ value: "3" });
  });

  it("renders Python values the way Jinja prints them", () => {
    expect(evaluate("{{ value_json.on }}", '{"on":true}')).toEqual({ value: "True" });
    expect(evaluate("{{ value_json.x }}", '{"x":null}')).toEqual({ value: "None" });
    expect(evaluate("{{ value_json.x | float }}", '{"x":21}')).toEqual({ value: "21.0" });
  });

  it("applies int, float, round, lower and upper filters", () => {
    expect(evaluate("{{ value | int }}", "21.7")).toEqual({ value: "21" });
    expect(evaluate("{{ value | int }}", " 42 ")).toEqual({ value: "42" });
    expect(evaluate("{{ value_json.t | float }}", '{"t":"21.25"}')).toEqual({ value: "21.25" });
    expect(evaluate("{{ value_json.t | round(1) }}", '{"t":21.46}')).toEqual({ value: "21.5" });
    expect(evaluate("{{ value_json.t | round }}", '{"t":21.46}')).toEqual({ value: "21" });
    expect(evaluate("{{ value_json.t | round(1) }}", '{"t":21}')).toEqual({ value: "21.0" });
    expect(evaluate("{{ value | lower }}", "OPEN")).toEqual({ value: "open" });
    expect(evaluate("{{ value_json.s | upper }}", '{"s":"on"}')).toEqual({ value: "ON" });
    expect(evaluate("{{ value | float | round(2) }}", "1.005")).toEqual({ value: "1.0" });
  });

  it("rounds exact halves to even like Python", () => {
    expect(evaluate("{{ value | round }}", "2.5")).toEqual({ value: "2" });
    expect(evaluate("{{ value | round }}", "3.5")).toEqual({ value: "4" });
    expect(evaluate("{{ value | round(1) }}", "0.25")).toEqual({ value: "0.2" });
  });

  it("gives no value for missing keys, non-JSON payloads and failed conversions", () => {
    expect(evaluate("{{ value_json.missing }}", '{"x":1}')).toEqual({ value: undefined });
    expect(evaluate("{{ value_json.x }}", "not json")).toEqual({ value: undefined });
    expect(evaluate("{{ value | int }}", "abc")).toEqual({ value: undefined });
    expect(evaluate("{{ value_json.x.y }}", '{"x":"text"}')).toEqual({ value: undefined });
  });

  it("keeps literal text around expressions, as command templates use", () => {
    const compiled = compileTemplate('{ "position": {{ position }} }');
    if ("unsupported" in compiled) throw new Error(compiled.reason);
    expect(renderTemplate(compiled, { position: 40 })).toEqual({ value: '{ "position": 40 }' });
  });

  it("trims whitespace next to {{- and -}}", () => {
    expect(evaluate("  {{- value -}}  ", "x")).toEqual({ value: "x" });
  });

  it("reports anything else as unsupported without running it", () => {
    const unsupported = [
      "{% if value == 'ON' %}on{% endif %}",
      "{{ value_json.Color.split(',')[0:3]|join(',') }}",
      "{{ value_json.x | default('off') }}",
      "{{ value * 2 }}",
      "{{ value ~ 'x' }}",
      "{{ range(10000000000) }}",
      "{{ ''.__class__.__mro__ }}",
      "{{ value_json.x.__class__() }}",
      "{# comment #}{{ value }}",
      "{{ value",
      "{{ 'literal' }}",
      "{{ value | int(0) }}",
    ];
    for (const template of unsupported) {
      const result = evaluate(template, '{"x":1}');
      expect(result, template).toMatchObject({ unsupported: true });
    }
  });

  it("does not reach prototype properties through lookups", () => {
    expect(evaluate("{{ value_json.constructor }}", "{}")).toEqual({ value: undefined });
    expect(evaluate("{{ value_json.__proto__ }}", "{}")).toEqual({ value: undefined });
    expect(evaluate("{{ value_json.length }}", "[1,2]")).toEqual({ value: undefined });
  });
});
