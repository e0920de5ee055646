import { germanHome } from "../helpers/german-home.js";

/**
 * Assist-style German beyond the plain "ist X an" and "mach X an": questions about what a sensor
 * detects or measures asked with a verb, fans by kind and floor, words in front of a name that are
 * not part of it, the formal "Sie" with the verb first, media players after a preposition, heating
 * a room, announcements, named to-do lists, covers by kind on a floor, timers and forecasts. Read
 * the way Home Assistant's intents define them, with Hearth's own German beside Home Assistant's
 * German pack (../shared/ha-intents, CC BY 4.0). The home is
 * tests/intents/fixtures/home-de-werkstatt.yaml, the speaker in the Wohnzimmer unless a sentence
 * gives another area.
 */

const { describeSentences } = germanHome("home-de-werkstatt.yaml");

describeSentences(
  "heating a room and asking its temperature",
  [
    {
      text: "heiz die Werkstatt auf 17 Grad",
      intent: "HassClimateSetTemperature",
      targets: ["climate.heizung_werkstatt"],
      slots: { temperature: 17 },
    },
    {
      text: "wie ist die momentane Temperatur im Flur",
      intent: "HassClimateGetTemperature",
      targets: ["climate.thermostat_flur"],
    },
    {
      text: "was ist die aktuelle Temperatur in der Werkstatt",
      intent: "HassClimateGetTemperature",
      targets: ["climate.heizung_werkstatt"],
    },
  ],
  ["heiz mir bloß nicht ein", "die aktuelle Temperatur der Suppe ist egal"],
);

describeSentences(
  "announcements",
  [
    // A colon after the announcement, or "dass" opening the message: neither is part of it.
    {
      text: "Schick eine Durchsage: Abfahrt in zehn Minuten",
      intent: "HassBroadcast",
      slots: { message: "Abfahrt in zehn Minuten" },
    },
    {
      text: "Mach eine Ansage: alle in den Hof",
      intent: "HassBroadcast",
      slots: { message: "alle in den Hof" },
    },
    {
      text: "Verkünde, dass der Kuchen fertig ist",
      intent: "HassBroadcast",
      slots: { message: "der Kuchen fertig ist" },
    },
    {
      text: "gib überall Bescheid, dass wir gleich fahren",
      intent: "HassBroadcast",
      slots: { message: "wir gleich fahren" },
    },
  ],
  ["ich schicke dir eine Nachricht", "die Ansage am Bahnhof war unverständlich"],
);

describeSentences(
  "timers and forecasts",
  [
    // "es" is no timer's name.
    { text: "Wie steht es um meine Timer?", intent: "HassTimerStatus", absent: ["name"] },
    { text: "wie sieht es mit dem Brot Timer aus", intent: "HassTimerStatus", slots: { name: "Brot" } },
    // A weather service by the place it is named after.
    {
      text: "Wettervorhersage für Dresden",
      intent: "HassGetWeather",
      targets: ["weather.dresden"],
      slots: { name: "Dresden" },
    },
    { text: "wie wird das Wetter morgen in Leipzig", intent: "HassGetWeather", targets: ["weather.leipzig"] },
  ],
  ["wie steht es um die Wirtschaft", "die Vorhersage für das Spiel war falsch"],
);

describeSentences("covers by their kind on a floor", [
  // Rollläden are the floor's shutters and blinds (as the house's own words have it): not its
  // awning (the Sonnensegel) or its gate.
  {
    text: "Fahr unten alle Rollläden runter",
    intent: "HassTurnOff",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_kueche", "cover.raffstore_flur"],
    slots: { floor: "Erdgeschoss", device_class: "shutter" },
  },
  {
    text: "schließe alle Rollläden im Erdgeschoss",
    intent: "HassTurnOff",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_kueche", "cover.raffstore_flur"],
  },
  {
    text: "öffne im Erdgeschoss alle Rollläden",
    intent: "HassTurnOn",
    targets: ["cover.rollladen_wohnzimmer", "cover.rollladen_kueche", "cover.raffstore_flur"],
  },
  { text: "mach im Flur die Rollläden zu", intent: "HassTurnOff", targets: ["cover.raffstore_flur"] },
]);

describeSentences(
  "fans by kind, place and speed",
  [
    // "unten" is the Erdgeschoss: its two fans, not the cellar's.
    {
      text: "Mach die Lüfter unten aus",
      intent: "HassTurnOff",
      targets: ["fan.deckenluefter", "fan.tischluefter"],
      slots: { domain: "fan", floor: "Erdgeschoss" },
    },
    {
      text: "schalte oben die Ventilatoren an",
      intent: "HassTurnOn",
      targets: ["fan.schlafzimmer_ventilator"],
    },
    {
      text: "Stell die Geschwindigkeit vom Deckenlüfter auf 40 %",
      intent: "HassFanSetSpeed",
      targets: ["fan.deckenluefter"],
      slots: { percentage: 40 },
    },
    // The cellar's fan is named otherwise; "Lüfter" is its kind, not a near miss of another's name.
    {
      text: "Den Lüfter im Keller auf 40 %",
      intent: "HassFanSetSpeed",
      targets: ["fan.kellerluefter"],
      slots: { percentage: 40, area: "Keller" },
    },
    {
      text: "stell den Ventilator im Schlafzimmer auf 20 Prozent",
      intent: "HassFanSetSpeed",
      targets: ["fan.schlafzimmer_ventilator"],
    },
  ],
  ["der Lüfter im Keller ist laut", "die Geschwindigkeit vom Zug war hoch"],
);

describeSentences(
  "questions about what sensors detect and measure",
  [
    // Someone in a room: its presence sensor.
    {
      text: "Sitzt jemand in der Werkstatt?",
      intent: "HassGetState",
      targets: ["binary_sensor.praesenz_werkstatt"],
      slots: { device_class: "occupancy", state: "on", area: "Werkstatt" },
      reply: "Ja, Präsenzmelder Werkstatt",
    },
    {
      text: "ist die Werkstatt gerade besetzt",
      intent: "HassGetState",
      targets: ["binary_sensor.praesenz_werkstatt"],
    },
    // Smoke with the verb first, any detector.
    {
      text: "Meldet irgendein Melder Rauch?",
      intent: "HassGetState",
      targets: ["binary_sensor.melder_keller", "binary_sensor.rauchmelder_flur"],
      slots: { device_class: "smoke", state: "on" },
      reply: "Nein",
    },
    // A sensor by what it measures and the room.
    {
      text: "Was sagt der Feinstaubwert in der Küche?",
      intent: "HassGetState",
      targets: ["sensor.feinstaub_kueche"],
      slots: { device_class: "pm25", area: "Küche" },
    },
    {
      text: "wie hoch ist der CO2-Wert in der Werkstatt",
      intent: "HassGetState",
      targets: ["sensor.co2_werkstatt"],
    },
    // A battery sensor by the device it is in ("Laptop Akku" is "der Laptop").
    { text: "Wie viel Ladung hat der Laptop noch?", intent: "HassGetState", targets: ["sensor.laptop_akku"] },
    // A machine at work: its running sensor, yes or no.
    {
      text: "Ist der Trockner noch an der Arbeit?",
      intent: "HassGetState",
      targets: ["binary_sensor.trockner"],
      slots: { state: "on" },
      reply: "Ja",
    },
    {
      text: "ist der Trockner schon fertig",
      intent: "HassGetState",
      targets: ["binary_sensor.trockner"],
      slots: { state: "off" },
    },
    // A valve "offen", as "auf" already was: a valve's own state, open (it is closed).
    {
      text: "Ist das Gartenventil offen?",
      intent: "HassGetState",
      targets: ["valve.gartenventil"],
      slots: { state: "open" },
      reply: "Nein",
    },
    // A room's window contact, with the room first.
    {
      text: "Ist in der Werkstatt das Fenster auf?",
      intent: "HassGetState",
      targets: ["binary_sensor.fenster_werkstatt"],
      slots: { device_class: "window", state: "on" },
    },
    // The battery of a detector whose short name is no area.
    {
      text: "Ist die Batterie vom Melder Keller leer?",
      intent: "HassGetState",
      targets: ["binary_sensor.melder_keller_batterie"],
      slots: { state: "on" },
      reply: "Nein",
    },
  ],
  [
    "sitzt jemand gern in der Sonne",
    "der Feinstaub ist heute schlimm",
    "die Batterie von meinem Auto ist leer",
    "ist der Kuchen schon fertig",
  ],
);

describeSentences("words in front of a name", [
  // The owner's name first, as German says it, for a lamp named with the owner last.
  { text: "Mach Ulis Leselampe an", intent: "HassTurnOn", targets: ["light.leselampe_uli"] },
  { text: "schalte Ruths Leselampe aus", intent: "HassTurnOff", targets: ["light.leselampe_ruth"] },
  // "die Farbe vom …": the lamp after the preposition.
  {
    text: "Ändere die Farbe vom Werkbanklicht in Blau",
    intent: "HassLightSet",
    targets: ["light.werkbank"],
    slots: { color: "blue" },
  },
  {
    text: "ändere die Farbe der Bogenlampe in Rot",
    intent: "HassLightSet",
    targets: ["light.bogenlampe"],
    slots: { color: "red" },
  },
]);

describeSentences(
  "media players after a preposition",
  [
    // The player after "auf dem" is the player, not a place.
    {
      text: "Setze die Wiedergabe auf dem Radio fort",
      intent: "HassMediaUnpause",
      targets: ["media_player.radio"],
    },
    { text: "Weiter abspielen auf der Box", intent: "HassMediaUnpause", targets: ["media_player.box"] },
    {
      text: "Spring zum nächsten Song auf dem Lautsprecher",
      intent: "HassMediaNext",
      targets: ["media_player.lautsprecher"],
    },
    {
      text: "spring zum vorherigen Titel auf der Box",
      intent: "HassMediaPrevious",
      targets: ["media_player.box"],
    },
  ],
  ["die Wiedergabe auf dem Radio war gestern schlecht", "spring nicht auf das Sofa"],
);

describeSentences(
  "the formal Sie with the verb first",
  [
    // A gate is closed and opened as a cover, not read as a lock or a valve.
    { text: "Schließen Sie bitte das Hoftor", intent: "HassTurnOff", targets: ["cover.hoftor"] },
    { text: "Öffnen Sie bitte das Hoftor", intent: "HassTurnOn", targets: ["cover.hoftor"] },
    // A lock: "ab" and "zu" lock it (HassTurnOn), "auf" unlocks it.
    { text: "Schließen Sie bitte die Kellertür ab", intent: "HassTurnOn", targets: ["lock.kellertuer"] },
    { text: "Sperren Sie bitte die Kellertür ab", intent: "HassTurnOn", targets: ["lock.kellertuer"] },
    { text: "Sperren Sie bitte die Kellertür auf", intent: "HassTurnOff", targets: ["lock.kellertuer"] },
  ],
  ["schließen Sie bitte mit dem Thema ab", "das Hoftor hat Herr Meier gestrichen"],
);

describeSentences("items ticked off a named list", [
  // "der Liste Werkzeug": the list's name after the word "Liste", not part of the item.
  {
    text: "Markiere Nägel auf der Liste Werkzeug als erledigt",
    intent: "HassListCompleteItem",
    targets: ["todo.werkzeug"],
    slots: { item: "Nägel", name: "Werkzeug" },
  },
  {
    text: "streich Dübel von der Liste Werkzeug",
    intent: "HassListCompleteItem",
    targets: ["todo.werkzeug"],
    slots: { item: "Dübel" },
  },
  { text: "markiere Milch als erledigt", intent: "HassShoppingListCompleteItem", slots: { item: "Milch" } },
]);
