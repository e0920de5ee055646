// The generator lives in src/ so that the benchmark (plain JS against dist/) can use it too.
export {
  buildTinyGguf,
  CHATML_TEMPLATE,
  DEFAULT_CORPUS,
  makeTinyGguf,
  type TinyGgufInfo,
  type TinyGgufOptions,
} from "../../src/llm/tiny-gguf.js";
