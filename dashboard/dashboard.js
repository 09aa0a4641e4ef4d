// The KPSS dashboard: the partnership network (cytoscape), a map of Czechia (Leaflet, no tiles) and
// funding (Chart.js and tables), filtered by kraj and operational programme. All data comes from this server's /graphql.
import cytoscape from '/dashboard/assets/cytoscape.esm.min.mjs';
import * as L from '/dashboard/assets/leaflet-src.esm.js';

const money = new Intl.NumberFormat('cs-CZ', { style: 'currency', currency: 'CZK' });
const moneyShort = new Intl.NumberFormat('cs-CZ', { style: 'currency', currency: 'CZK', notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('cs-CZ');
const share = new Intl.NumberFormat('cs-CZ', { maximumFractionDigits: 4, minimumFractionDigits: 0 });
const plural = new Intl.PluralRules('cs');

// "1 projekt", "3 projekty", "5 projektů": the Czech form for the number (forms: one, few, other).
function count(n, one, few, other) {
  const form = { one, few }[plural.select(n)] ?? other;
  return `${integer.format(n)} ${form}`;
}

// Names of kinds (of organisations and outputs) and funding sources come from the API (the model's Czech labels), not from here.
const UNKNOWN = 'Neuvedeno';
// Colour-blind safe (Okabe–Ito, then Tableau); communities past the list repeat it.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999',
  '#4E79A7', '#F28E2B', '#59A14F', '#B07AA1'];

const REDUCED_MOTION = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

const $ = (id) => document.getElementById(id);
const state = { programmes: new Map(), network: null, cy: null, charts: {}, request: 0, map: null, mapLayer: null,
  places: new Map(), seats: new Map() };
// For people building on the page (and its browser test): the live cytoscape graph and charts.
window.kpssDashboard = state;

async function graphql(query, variables = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  if (!response.ok) throw new Error(`GraphQL odpověděl ${response.status}`);
  const body = await response.json();
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data;
}

const OPTIONS = `{
  regions { code name nutsLevel country { code } }
  programmes { code name abbreviation }
}`;

const GROUP = 'total { amount currency } projectCount projectsWithoutAmount '
  + 'groups { key name total { amount currency } projectCount projectsWithoutAmount }';
const DATA = `query Dashboard($where: ProjectFilter) {
  partnershipNetwork(where: $where) {
    projectCount communityCount
    nodes { id name kind kindName projectCount totalFunding { amount currency } degree weightedDegree betweenness community
            region { code name } }
    edges { source target weight projects { registrationNumber name outputs { name start end } } }
  }
  outputs(where: {project: $where}, first: 100) {
    nodes { id name kind kindName start end producedBy { registrationNumber name } }
  }
  byProgramme: fundingSummary(groupBy: PROGRAMME, where: $where) { ${GROUP} }
  byYear: fundingSummary(groupBy: YEAR, where: $where) { ${GROUP} }
  bySource: fundingSummary(groupBy: FUNDING_SOURCE, where: $where) { ${GROUP} }
}`;

// Where the projects are: the municipalities they cover (directly, through an ORP district or a
// microregion) and the seats of the organisations taking part. Read page by page.
const POINT = 'id name latitude longitude';
const MAP = `query Map($where: ProjectFilter, $after: String) {
  projects(where: $where, first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { registrationNumber name
      covers { __typename ... on Municipality { ${POINT} } ... on Orp { municipalities { ${POINT} } }
               ... on Microregion { municipalities { ${POINT} } } }
      participations { role organisation { id name kind kindName seat { ${POINT} } } } } }
  }
}`;

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function fillFilters({ regions, programmes }) {
  const select = $('region');
  const groups = [
    ['Kraje', regions.filter((r) => r.nutsLevel === 3 && r.country?.code === 'CZ')],
    ['Regiony soudržnosti', regions.filter((r) => r.nutsLevel === 2 && r.country?.code === 'CZ')],
    ['Zahraničí', regions.filter((r) => r.country?.code !== 'CZ')],
  ];
  for (const [label, list] of groups) {
    if (!list.length) continue;
    const group = document.createElement('optgroup');
    group.label = label;
    for (const r of list) group.append(option(r.code, r.name));
    select.append(group);
  }
  for (const p of programmes) {
    state.programmes.set(p.code, p);
    $('programme').append(option(p.code, p.abbreviation ? `${p.abbreviation} – ${p.name}` : p.name));
  }
  const params = new URLSearchParams(location.search);
  for (const name of ['region', 'programme']) {
    const wanted = params.get(name);
    if (wanted && [...$(name).options].some((o) => o.value === wanted)) $(name).value = wanted;
  }
}

function currentFilter() {
  const where = {};
  if ($('region').value) where.region = [$('region').value];
  if ($('programme').value) where.programme = [$('programme').value];
  return where;
}

// The chosen filters as a query string, e.g. "region=CZ072&programme=CZ.1.04" ("" for everything).
function filterQuery() {
  const params = new URLSearchParams();
  for (const name of ['region', 'programme']) if ($(name).value) params.set(name, $(name).value);
  return params.toString();
}

function remember() {
  const query = filterQuery();
  history.replaceState(null, '', query ? `?${query}` : location.pathname);
}

async function refresh() {
  const request = ++state.request;
  const view = filterQuery();
  document.body.dataset.loading = 'true';
  $('status').textContent = 'Načítám…';
  try {
    const [data, projects] = await Promise.all([graphql(DATA, { where: currentFilter() }), mapProjects(currentFilter())]);
    if (request !== state.request) return; // a newer choice of filters is on its way
    drawNetwork(data.partnershipNetwork);
    drawMap(projects);
    drawFunding(data);
    drawOutputs(data.outputs.nodes);
    $('status').textContent = '';
    // What is on screen, for scripts and tests that wait for it: data-view="region=CZ072", data-loading="false".
    document.body.dataset.view = view;
    document.body.dataset.loading = 'false';
  } catch (error) {
    if (request !== state.request) return;
    $('status').textContent = `Data se nepodařilo načíst: ${error.message}`;
    document.body.dataset.loading = 'error';
  }
}

// --- network ---------------------------------------------------------------------------------------

function nodeSize(value, max) {
  return 18 + 42 * Math.sqrt(max > 0 ? value / max : 0);
}

function drawNetwork(network) {
  state.network = network;
  $('network-summary').textContent = [
    count(network.nodes.length, 'organizace', 'organizace', 'organizací'),
    count(network.edges.length, 'vazba', 'vazby', 'vazeb'),
    count(network.projectCount, 'projekt', 'projekty', 'projektů'),
    count(network.communityCount, 'komunita', 'komunity', 'komunit'),
  ].join(', ');
  $('network-empty').hidden = network.nodes.length > 0;
  showDetails(null);

  const elements = [
    ...network.nodes.map((n) => ({
      data: { id: n.id, label: n.name, colour: PALETTE[n.community % PALETTE.length], node: n,
        projectCount: n.projectCount, weightedDegree: n.weightedDegree },
    })),
    ...network.edges.map((e, i) => ({
      data: { id: `e${i}`, source: e.source, target: e.target, weight: e.weight, edge: e },
    })),
  ];
  const maxWeight = Math.max(1, ...network.edges.map((e) => e.weight));
  if (state.cy) state.cy.destroy();
  const cy = cytoscape({
    container: $('network'),
    elements,
    minZoom: 0.2,
    maxZoom: 4,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', label: 'data(label)', 'font-size': 9, color: '#1f2933',
        'text-wrap': 'ellipsis', 'text-max-width': 130, 'text-valign': 'bottom', 'text-margin-y': 3,
        'text-background-color': '#ffffff', 'text-background-opacity': 0.75, 'text-background-padding': 1,
        'min-zoomed-font-size': 6, 'border-width': 1, 'border-color': '#ffffff',
      } },
      { selector: 'edge', style: {
        width: `mapData(weight, 1, ${Math.max(2, maxWeight)}, 1, 7)`, 'line-color': '#8a98a8', opacity: 0.55,
        'curve-style': 'haystack',
      } },
      { selector: 'edge[weight > 1]', style: { 'line-color': '#3b4a5a', opacity: 0.85, 'z-index': 2 } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#111111', 'z-index': 10 } },
      { selector: 'edge:selected', style: { 'line-color': '#111111', opacity: 1, 'z-index': 10 } },
      { selector: '.faded', style: { opacity: 0.15 } },
    ],
  });
  state.cy = cy;
  sizeNodes();
  cy.layout({
    name: 'cose', animate: false, randomize: false, nodeDimensionsIncludeLabels: true,
    idealEdgeLength: (edge) => 120 / edge.data('weight'), nodeRepulsion: () => 12000, padding: 24,
  }).run();

  cy.on('tap', 'node, edge', (event) => focus(event.target));
  cy.on('tap', (event) => {
    if (event.target === cy) focus(null);
  });
  fillNetworkTable(network);
}

// Highlight a node (with its partners) or an edge (with its two ends) and show its details; null clears.
function focus(element) {
  const cy = state.cy;
  cy.elements().removeClass('faded');
  if (!element) {
    cy.elements().unselect();
    showDetails(null);
    return;
  }
  cy.elements().not(element).unselect();
  element.select();
  cy.elements().addClass('faded');
  (element.isNode() ? element.closedNeighborhood() : element.union(element.connectedNodes())).removeClass('faded');
  showDetails(element.isNode() ? nodeDetails(element.data('node')) : edgeDetails(element.data('edge')));
}

function sizeNodes() {
  const cy = state.cy;
  if (!cy) return;
  const field = $('size-by').value;
  const max = Math.max(0, ...cy.nodes().map((n) => n.data(field)));
  cy.nodes().forEach((n) => {
    const size = nodeSize(n.data(field), max);
    n.style({ width: size, height: size });
  });
}

function link(href, text) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

function nodeDetails(node) {
  return {
    id: node.id,
    rows: [
      ['Název', node.name],
      ['Druh', node.kindName ?? UNKNOWN],
      ['Kraj', node.region?.name ?? UNKNOWN],
      ['Projekty', integer.format(node.projectCount)],
      ['Celkové náklady projektů', money.format(node.totalFunding.amount)],
      ['Stupeň (počet partnerů)', integer.format(node.degree)],
      ['Vážený stupeň', integer.format(node.weightedDegree)],
      ['Zprostředkování mezi partnery (mezilehlost)', share.format(node.betweenness)],
      ['Komunita', integer.format(node.community + 1)],
    ],
    more: [link(`/id/organisation/${encodeURIComponent(node.id)}`, 'Záznam organizace v propojených datech')],
  };
}

function edgeDetails(edge) {
  const name = (id) => state.cy.getElementById(id).data('label');
  const list = document.createElement('ul');
  for (const project of edge.projects) {
    const item = document.createElement('li');
    item.append(link(`/id/project/${encodeURIComponent(project.registrationNumber)}`, project.name));
    if (project.outputs.length) {
      item.append(`: výstupy ${project.outputs.map((o) => `${o.name} ${period(o)}`.trim()).join('; ')}`);
    }
    list.append(item);
  }
  return {
    id: `${edge.source} ${edge.target}`,
    rows: [['Organizace', name(edge.source)], ['Partner', name(edge.target)], ['Společné projekty', integer.format(edge.weight)]],
    more: [list],
  };
}

function showDetails(details) {
  const list = $('details-list');
  list.replaceChildren();
  list.hidden = !details;
  $('details-empty').hidden = Boolean(details);
  $('details-more').hidden = !details;
  $('details-more').replaceChildren(...(details?.more ?? []));
  if (!details) return;
  for (const [term, value] of details.rows) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  list.dataset.id = details.id;
}

function fillNetworkTable(network) {
  const body = $('network-table').tBodies[0];
  body.replaceChildren(...network.nodes.map((n) => {
    const tr = row([
      ['', 'th'], [n.kindName ?? UNKNOWN], [integer.format(n.projectCount), 'num'],
      [money.format(n.totalFunding.amount), 'num'], [integer.format(n.degree), 'num'],
      [integer.format(n.weightedDegree), 'num'], [share.format(n.betweenness), 'num'], [integer.format(n.community + 1), 'num'],
    ], { id: n.id });
    // The organisation's name picks it in the graph too: the way there from the keyboard.
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.className = 'pick';
    pick.textContent = n.name;
    pick.title = 'Ukázat v grafu';
    pick.addEventListener('click', () => {
      focus(state.cy.getElementById(n.id));
      $('network').scrollIntoView({ block: 'nearest', behavior: REDUCED_MOTION ? 'auto' : 'smooth' });
    });
    tr.cells[0].append(pick);
    return tr;
  }));
}

// --- funding ---------------------------------------------------------------------------------------

function row(cells, data = {}) {
  const tr = document.createElement('tr');
  for (const [name, value] of Object.entries(data)) tr.dataset[name] = value ?? '';
  for (const [text, kind] of cells) {
    const cell = document.createElement(kind === 'th' ? 'th' : 'td');
    if (kind === 'th') cell.scope = 'row';
    if (kind === 'num') cell.className = 'num';
    cell.textContent = text;
    tr.append(cell);
  }
  return tr;
}

function programmeLabel(group) {
  const programme = state.programmes.get(group.key);
  return programme?.abbreviation ?? group.name ?? group.key ?? UNKNOWN;
}

const named = (g) => (g.key === null ? UNKNOWN : (g.name ?? g.key));
const LABELS = { programme: named, year: (g) => g.key ?? UNKNOWN, source: named };

// An amount no project of the group states is not zero: say so, and say when some leave it out.
function stated(group) {
  if (group.projectsWithoutAmount === group.projectCount) return 'neuvedeno';
  const missing = group.projectsWithoutAmount ? ` (${integer.format(group.projectsWithoutAmount)} bez částky)` : '';
  return money.format(group.total.amount) + missing;
}

function fillTable(id, summary, label) {
  const body = $(id).tBodies[0];
  const rows = summary.groups.map((g) => row(
    [[label(g), 'th'], [integer.format(g.projectCount), 'num'], [stated(g), 'num']],
    { key: g.key, amount: g.total.amount, projects: g.projectCount },
  ));
  body.replaceChildren(...rows);
}

function chartOptions(kind) {
  const tooltip = { callbacks: { label: (item) => ` ${money.format(item.raw)}` } };
  if (kind === 'doughnut') {
    return { responsive: true, maintainAspectRatio: false, animation: REDUCED_MOTION ? false : { duration: 300 },
      locale: 'cs-CZ', plugins: { legend: { position: window.innerWidth < 700 ? 'bottom' : 'right' }, tooltip } };
  }
  const horizontal = kind === 'horizontal';
  const valueAxis = { beginAtZero: true, ticks: { callback: (value) => moneyShort.format(value) } };
  return {
    responsive: true, maintainAspectRatio: false, animation: REDUCED_MOTION ? false : { duration: 300 },
    locale: 'cs-CZ', indexAxis: horizontal ? 'y' : 'x',
    plugins: { legend: { display: false }, tooltip },
    scales: horizontal ? { x: valueAxis } : { y: valueAxis },
  };
}

function drawChart(name, kind, labels, values) {
  const data = {
    labels,
    datasets: [{
      label: 'Celkem (Kč)', data: values,
      backgroundColor: kind === 'doughnut' ? labels.map((_, i) => PALETTE[i % PALETTE.length]) : '#0072B2',
      borderWidth: kind === 'doughnut' ? 1 : 0,
    }],
  };
  const existing = state.charts[name];
  if (existing) {
    existing.data = data;
    existing.update();
    return;
  }
  state.charts[name] = new window.Chart($(`chart-${name}`), {
    type: kind === 'doughnut' ? 'doughnut' : 'bar', data, options: chartOptions(kind),
  });
}

function drawFunding({ byProgramme, byYear, bySource }) {
  const unstated = byProgramme.projectsWithoutAmount;
  $('funding-summary').textContent = `${count(byProgramme.projectCount, 'projekt', 'projekty', 'projektů')}, celkové náklady `
    + `${money.format(byProgramme.total.amount)}`
    + (unstated ? ` (${integer.format(unstated)} bez uvedených nákladů)` : '');
  fillTable('table-programme', byProgramme, LABELS.programme);
  fillTable('table-year', byYear, LABELS.year);
  fillTable('table-source', bySource, LABELS.source);
  const amounts = (s) => s.groups.map((g) => Number(g.total.amount));
  drawChart('programme', 'horizontal', byProgramme.groups.map(programmeLabel), amounts(byProgramme));
  drawChart('year', 'bar', byYear.groups.map(LABELS.year), amounts(byYear));
  drawChart('source', 'doughnut', bySource.groups.map(LABELS.source), amounts(bySource));
}

// --- map -------------------------------------------------------------------------------------------

async function mapProjects(where) {
  const projects = [];
  let after = null;
  do {
    const page = (await graphql(MAP, { where, after })).projects;
    projects.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return projects;
}

async function startMap() {
  const map = L.map('map', { zoomSnap: 0.25, minZoom: 5, maxZoom: 13, attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Obce: ČÚZK RÚIAN, ČSÚ; hranice: Natural Earth');
  const atlas = await (await fetch('/dashboard/assets/countries-50m.json')).json();
  const czechia = window.topojson.feature(atlas, atlas.objects.countries).features.filter((f) => f.id === '203');
  const border = L.geoJSON(czechia, { interactive: false, style: { color: '#52606d', weight: 1.5, fillColor: '#e4ebf1', fillOpacity: 1 } });
  border.addTo(map);
  map.fitBounds(border.getBounds());
  state.map = map;
  state.mapLayer = L.layerGroup().addTo(map);
}

function marker(point, options, details) {
  const m = L.circleMarker([point.latitude, point.longitude], { weight: 1, fillOpacity: 0.85, ...options });
  m.bindTooltip(point.name);
  m.on('click', () => {
    details();
    $('details').scrollIntoView({ block: 'nearest', behavior: REDUCED_MOTION ? 'auto' : 'smooth' });
  });
  m.addTo(state.mapLayer);
  m.getElement().dataset.id = point.id;
  return m;
}

function placeDetails(place, projects) {
  const list = document.createElement('ul');
  for (const project of projects) {
    const item = document.createElement('li');
    item.append(link(`/id/project/${encodeURIComponent(project.registrationNumber)}`, project.name));
    list.append(item);
  }
  return { id: place.id, rows: [['Obec', place.name], ['Projekty', count(projects.length, 'projekt', 'projekty', 'projektů')]], more: [list] };
}

// An organisation picked on the map: the same as picking it in the network, where it is there.
function seatDetails(organisation, seat) {
  const node = state.cy?.getElementById(organisation.id);
  if (node?.length) {
    focus(node);
    return;
  }
  showDetails({
    id: organisation.id,
    rows: [['Název', organisation.name], ['Druh', organisation.kindName ?? UNKNOWN], ['Sídlo', seat.name]],
    more: [link(`/id/organisation/${encodeURIComponent(organisation.id)}`, 'Záznam organizace v propojených datech')],
  });
}

function drawMap(projects) {
  if (!state.map) return;
  state.mapLayer.clearLayers();
  const places = new Map(); // municipality id -> { place, projects }
  const seats = new Map(); // organisation id -> { organisation, seat }
  let regional = 0;
  for (const project of projects) {
    const covered = project.covers.flatMap((c) => (c.__typename === 'Municipality' ? [c] : c.municipalities ?? []));
    if (!covered.length) regional++;
    for (const place of covered) {
      if (!places.has(place.id)) places.set(place.id, { place, projects: [] });
      const entry = places.get(place.id);
      if (!entry.projects.includes(project)) entry.projects.push(project);
    }
    for (const { organisation } of project.participations) {
      if (organisation.seat?.latitude != null) seats.set(organisation.id, { organisation, seat: organisation.seat });
    }
  }
  state.places = new Map();
  for (const [id, { place, projects: here }] of places) {
    if (place.latitude == null) continue;
    state.places.set(id, marker(place, { radius: 4, color: '#00664a', fillColor: '#009E73' }, () => showDetails(placeDetails(place, here))));
  }
  state.seats = new Map();
  for (const [id, { organisation, seat }] of seats) {
    const m = marker({ ...seat, id, name: `${organisation.name} (${seat.name})` },
      { radius: 7, color: '#ffffff', weight: 2, fillColor: '#0072B2' }, () => seatDetails(organisation, seat));
    state.seats.set(id, m);
  }
  $('map-summary').textContent = `${count(state.places.size, 'obec', 'obce', 'obcí')} v projektech, `
    + `${count(state.seats.size, 'sídlo', 'sídla', 'sídel')} organizací`;
  $('map-regional').textContent = regional
    ? `${count(regional, 'projekt pokrývá', 'projekty pokrývají', 'projektů pokrývá')} celý kraj a na mapě nemá bod obce.` : '';
  state.map.invalidateSize();
}

// --- what planning produced ------------------------------------------------------------------------

// The years a plan is for ("2015–2019", "2022"), not its project's run (or a project's run, for a project).
function period(output) {
  if (!output.start && !output.end) return '';
  return output.start === output.end || !output.end ? output.start : `${output.start ?? ''}–${output.end}`;
}

function drawOutputs(outputs) {
  $('outputs-empty').hidden = outputs.length > 0;
  $('outputs-table').tBodies[0].replaceChildren(...outputs.map((o) => {
    const tr = row([[o.name, 'th'], [o.kindName ?? UNKNOWN], [period(o) || UNKNOWN], ['']], { id: o.id });
    tr.cells[3].append(...o.producedBy.flatMap((p, i) => [
      ...(i ? ['; '] : []), link(`/id/project/${encodeURIComponent(p.registrationNumber)}`, p.name)]));
    return tr;
  }));
}

// --- a project's details --------------------------------------------------------------------------

// A project picked in the details of an edge or a place: what it produced, its working and target groups.
const PROJECT = `query Project($n: String!) { project(registrationNumber: $n) {
  registrationNumber name start end beneficiary { name } programme { name abbreviation }
  outputs { id name kind kindName start end } workingGroups { id name } targetGroups { id name } } }`;

function listOf(id, title, items) {
  const box = document.createElement('section');
  box.id = id;
  const heading = document.createElement('h4');
  heading.textContent = title;
  box.append(heading);
  if (!items.length) {
    const none = document.createElement('p');
    none.textContent = UNKNOWN;
    box.append(none);
    return box;
  }
  const list = document.createElement('ul');
  for (const [text, dataId] of items) {
    const item = document.createElement('li');
    item.textContent = text;
    item.dataset.id = dataId;
    list.append(item);
  }
  box.append(list);
  return box;
}

function projectDetails(project) {
  const programme = project.programme;
  const record = link(`/id/project/${encodeURIComponent(project.registrationNumber)}`, 'Záznam projektu v propojených datech');
  record.className = 'record';
  return {
    id: project.registrationNumber,
    rows: [
      ['Projekt', project.name],
      ['Registrační číslo', project.registrationNumber],
      ['Období projektu', period(project) || UNKNOWN],
      ['Příjemce', project.beneficiary?.name ?? UNKNOWN],
      ['Program', programme ? (programme.abbreviation ?? programme.name) : UNKNOWN],
    ],
    more: [
      listOf('project-outputs', 'Výstupy', project.outputs.map((o) => [
        `${o.kindName ?? UNKNOWN}: ${o.name}${period(o) ? ` (${period(o)})` : ''}`, o.id])),
      listOf('project-working-groups', 'Pracovní skupiny', project.workingGroups.map((g) => [g.name, g.id])),
      listOf('project-target-groups', 'Cílové skupiny', project.targetGroups.map((g) => [g.name, g.id])),
      record,
    ],
  };
}

async function showProject(registrationNumber) {
  try {
    const { project } = await graphql(PROJECT, { n: registrationNumber });
    if (project) showDetails(projectDetails(project));
  } catch (error) {
    $('status').textContent = `Projekt se nepodařilo načíst: ${error.message}`;
  }
}

// A project named in the details (an edge's shared projects, a place's projects) opens its own details;
// its record in the linked data stays a link (and any link opens as usual in a new tab or window).
function pickProjects(event) {
  const a = event.target.closest('a[href^="/id/project/"]');
  if (!a || a.classList.contains('record') || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  showProject(decodeURIComponent(a.getAttribute('href').slice('/id/project/'.length)));
}

// --- start -----------------------------------------------------------------------------------------

async function start() {
  try {
    fillFilters(await graphql(OPTIONS));
  } catch (error) {
    $('status').textContent = `Filtry se nepodařilo načíst: ${error.message}`;
  }
  try {
    await startMap();
  } catch (error) {
    $('map-summary').textContent = `Mapu se nepodařilo nakreslit: ${error.message}`;
  }
  for (const name of ['region', 'programme']) {
    $(name).addEventListener('change', () => {
      remember();
      refresh();
    });
  }
  $('size-by').addEventListener('change', sizeNodes);
  $('details-more').addEventListener('click', pickProjects);
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  await refresh();
}

// Chart.js and topojson-client are classic deferred scripts: they have run before this module (modules are deferred too, and
// run in document order), so window.Chart and window.topojson are there.
start();
