// The generator lives in bench/lib (plain JS) so that the benchmark can use it too.
export {
  buildTinyGguf,
  CHATML_TEMPLATE,
  DEFAULT_CORPUS,
  makeTinyGguf,
  type TinyGgufInfo,
  type TinyGgufOptions,
} from "../../bench/lib/tiny-gguf.mjs";
