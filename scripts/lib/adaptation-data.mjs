// The pure parts of scripts/adapt-acoustic-model.mjs (what it trains on and the files it writes for
// sphinxtrain), apart from the script so tests can check them without sphinxtrain or the recordings.

/**
 * pocketsphinx's sendump (8-bit mixture weights, -log base 1.0001, shifted right by 10) as a
 * Sphinx-3 mixture_weights file (float32 [senone][stream][density], each row summing to 1), which
 * sphinxtrain's bw reads: Debian ships the en-us model's weights only in the compressed form.
 * @param {Buffer} data the sendump file
 * @returns {Buffer} the mixture_weights file
 */
export function mixtureWeightsFromSendump(data) {
  let pos = 0;
  const int = () => {
    const v = data.readInt32LE(pos);
    pos += 4;
    return v;
  };
  const title = int();
  if (title < 1 || title > 999) throw new Error("sendump: not a little-endian sendump file");
  pos += title;
  // The header string. (`pos += int()` would read pos before int() moves it past the length.)
  const header = int();
  pos += header;
  let streams = 1;
  for (let n = int(); n !== 0; n = int()) {
    if (n < 0 || pos + n > data.length) throw new Error("sendump: truncated");
    const line = data.toString("latin1", pos, pos + n).replace(/\0+$/, "");
    pos += n;
    const [key, value] = line.split(" ");
    if (key === "feature_count") streams = Number(value);
    if (key === "cluster_count" && Number(value) !== 0) throw new Error("sendump: clustered weights");
  }
  const densities = int();
  const senones = int();
  if (pos + streams * densities * senones > data.length) throw new Error("sendump: truncated");
  const weights = new Float32Array(senones * streams * densities);
  const row = new Float64Array(densities);
  for (let s = 0; s < senones; s++) {
    for (let f = 0; f < streams; f++) {
      let sum = 0;
      for (let d = 0; d < densities; d++) {
        const q = data[pos + (f * densities + d) * senones + s];
        row[d] = 1.0001 ** -(q * 1024);
        sum += row[d];
      }
      for (let d = 0; d < densities; d++) weights[(s * streams + f) * densities + d] = row[d] / sum;
    }
  }
  const fileHeader = Buffer.from("s3\nversion 1.0\nendhdr\n", "latin1");
  const sizes = Buffer.alloc(20);
  sizes.writeUInt32LE(0x11223344, 0);
  sizes.writeUInt32LE(senones, 4);
  sizes.writeUInt32LE(streams, 8);
  sizes.writeUInt32LE(densities, 12);
  sizes.writeUInt32LE(weights.length, 16);
  return Buffer.concat([fileHeader, sizes, Buffer.from(weights.buffer)]);
}

/**
 * The conditions each kept order is trained in: clean, then each SNR (dB) of kitchen noise. The
 * clean copy is always there, so the transform is pulled towards noisy speech without leaving clean
 * speech behind.
 * @param {readonly number[]} snrs
 * @returns {Array<number | null>} null for clean
 */
export function trainingConditions(snrs) {
  return [null, ...[...new Set(snrs)].sort((a, b) => b - a)];
}

/**
 * The conditions whose copies are heard through RNNoise before training: none; all of them (the
 * clean copy too, as `audio.denoise: on` hears everything); or the noisy ones only, as
 * `audio.denoise: auto` hears a loud room denoised and a quiet one as the microphone gives it.
 * @param {ReadonlyArray<number | null>} conditions from trainingConditions (null: clean)
 * @param {"none" | "all" | "noisy"} denoising
 * @returns {Set<number | null>}
 */
export function denoisedConditions(conditions, denoising) {
  if (denoising === "none") return new Set();
  if (denoising === "all") return new Set(conditions);
  if (denoising === "noisy") return new Set(conditions.filter((snr) => snr !== null));
  throw new Error(`denoising "${denoising}": none, all or noisy`);
}

/** The utterance id of an order in a condition: "<clip>" clean, "<clip>-<snr>dB" in noise. */
export function conditionId(id, snr) {
  return snr === null ? id : `${id}-${snr}dB`;
}

/**
 * Parses --snrs: a comma-separated list of SNRs in dB ("" for none: clean only).
 * @param {string} text
 * @returns {number[]}
 */
export function parseSnrs(text) {
  if (text.trim() === "") return [];
  return text.split(",").map((part) => {
    const snr = Number(part.trim());
    if (part.trim() === "" || !Number.isFinite(snr))
      throw new Error(`--snrs: "${part}" is not a number of dB`);
    return snr;
  });
}

/**
 * sphinxtrain's control and transcription files for `utterances` (each {id, text}), one line each:
 * the ids for -ctlfn, "<s> words </s> (id)" for -lsnfn.
 * @param {ReadonlyArray<{ id: string, text: string }>} utterances
 */
export function trainingLists(utterances) {
  for (const { id, text } of utterances)
    if (/\s|[()]/.test(id) || /[()<>]/.test(text)) throw new Error(`cannot list utterance ${id}: "${text}"`);
  return {
    fileids: utterances.map((u) => `${u.id}\n`).join(""),
    transcription: utterances.map((u) => `<s> ${u.text} </s> (${u.id})\n`).join(""),
  };
}
