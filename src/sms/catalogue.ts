/**
 * Every text the service sends, in each contact's language. The Latin-script ones are written to
 * stay within the GSM-7 alphabet (so two segments hold 306 characters, not 134): accents GSM-7 lacks
 * (á, í, ó, ú, ã, ç, ê...) are avoided or dropped, as people commonly do in SMS. Khmer and Burmese
 * cannot be GSM-7: they go as UCS-2 (70 characters a segment, 67 when concatenated), so they are kept
 * short. Keywords stay in Latin letters (YES, ACK, STOP) because carriers and Twilio act on those.
 * test/sms-catalogue.test.ts checks every text, with realistic placeholders, fits in two segments.
 *
 * What whoever holds a phone learns is kept small: the defender's own phone only ever gets
 * "Received" or "Not recognised"; contacts get the name the defender chose to be known by.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'id', 'km', 'my'] as const;
export type Language = (typeof LANGUAGES)[number];

export type MessageKey =
  | 'invitation'
  | 'alert'
  | 'alertDuress'
  | 'place'
  | 'handledBy'
  | 'allClear'
  | 'optedIn'
  | 'ackThanks'
  | 'ackAlready'
  | 'nothingOpen'
  | 'help'
  | 'checkedIn'
  | 'pinNotRecognised'
  | 'phoneCode';

type Catalogue = Record<MessageKey, string>;

const en: Catalogue = {
  invitation: '{name} asks you to be a trusted contact on Meshwork. If {name} misses a safety check-in, you will get a text. Reply YES to agree or STOP to refuse.',
  alert: 'MESHWORK ALERT: {name} did not check in by {time}. Their message: {message}{place} Reply ACK if you will act on this.',
  alertDuress: 'MESHWORK ALERT: {name} sent a silent call for help at {time}. Their message: {message}{place} Reply ACK if you will act on this.',
  place: ' Last known place: {place}.',
  handledBy: 'Meshwork: {contact} is acting on the alert for {name}. Please stay available in case you are needed.',
  allClear: 'Meshwork: {name} has checked in. The alert is over. Thank you for being there.',
  optedIn: 'Meshwork: thank you. You will only get a text if someone who trusts you misses a check-in. Reply STOP at any time to leave.',
  ackThanks: 'Meshwork: thank you. The others are being told you are acting on it.',
  ackAlready: 'Meshwork: {contact} is already acting on it. Thank you.',
  nothingOpen: 'Meshwork: there is no open alert for you.',
  help: 'Meshwork: reply ACK to act on an alert, STOP to stop all texts.',
  checkedIn: 'Received.',
  pinNotRecognised: 'Not recognised. Try again.',
  phoneCode: 'Meshwork code: {code}. Enter it in the app. If you did not ask for it, ignore this text.',
};

const es: Catalogue = {
  invitation: '{name} te pide ser su contacto de confianza en Meshwork. Si {name} no hace su check-in de seguridad, te enviaremos un SMS. Responde SI para aceptar o STOP para rechazar.',
  alert: 'ALERTA MESHWORK: {name} no hizo su check-in antes de las {time}. Su mensaje: {message}{place} Responde ACK si vas a actuar.',
  alertDuress: 'ALERTA MESHWORK: {name} pide ayuda en silencio ({time}). Su mensaje: {message}{place} Responde ACK si vas a actuar.',
  place: ' Lugar indicado: {place}.',
  handledBy: 'Meshwork: {contact} se encarga de la alerta de {name}. Mantente disponible por si te necesitan.',
  allClear: 'Meshwork: {name} ya hizo su check-in. La alerta ha terminado. Gracias por tu apoyo.',
  optedIn: 'Meshwork: gracias. Solo te escribiremos si alguien que te tiene confianza no hace su check-in. Responde STOP para salir.',
  ackThanks: 'Meshwork: gracias. Avisamos al resto de la red que te encargas.',
  ackAlready: 'Meshwork: {contact} ya se encarga. Gracias.',
  nothingOpen: 'Meshwork: no hay ninguna alerta abierta para ti.',
  help: 'Meshwork: responde ACK para encargarte de una alerta, STOP para dejar de recibir SMS.',
  checkedIn: 'Recibido.',
  pinNotRecognised: 'No reconocido. Intenta de nuevo.',
  phoneCode: 'Codigo de Meshwork: {code}. Escribelo en la app. Si no lo pediste, ignora este mensaje.',
};

const pt: Catalogue = {
  invitation: '{name} convida voce para ser contato de confianca no Meshwork. Se {name} nao fizer um check-in de seguranca, voce recebera um SMS. Responda SIM para aceitar ou STOP para recusar.',
  alert: 'ALERTA MESHWORK: {name} nao fez o check-in ate {time}. Mensagem: {message}{place} Responda ACK se voce vai agir.',
  alertDuress: 'ALERTA MESHWORK: {name} pediu ajuda em silencio ({time}). Mensagem: {message}{place} Responda ACK se voce vai agir.',
  place: ' Local indicado: {place}.',
  handledBy: 'Meshwork: {contact} esta cuidando do alerta de {name}. Fique disponivel caso precisem de voce.',
  allClear: 'Meshwork: {name} fez o check-in. O alerta terminou. Obrigado pelo apoio.',
  optedIn: 'Meshwork: obrigado. So enviaremos SMS se alguem que confia em voce nao fizer o check-in. Responda STOP para sair.',
  ackThanks: 'Meshwork: obrigado. Avisamos o resto da rede que voce esta cuidando disso.',
  ackAlready: 'Meshwork: {contact} ja esta cuidando disso. Obrigado.',
  nothingOpen: 'Meshwork: nao ha nenhum alerta aberto para voce.',
  help: 'Meshwork: responda ACK para cuidar de um alerta, STOP para parar os SMS.',
  checkedIn: 'Recebido.',
  pinNotRecognised: 'Nao reconhecido. Tente de novo.',
  phoneCode: 'Codigo Meshwork: {code}. Digite-o no app. Se voce nao pediu, ignore esta mensagem.',
};

const fr: Catalogue = {
  invitation: '{name} vous choisit comme contact de confiance sur Meshwork. Si {name} manque un check-in de sécurité, vous recevrez un SMS. Répondez OUI pour accepter ou STOP pour refuser.',
  alert: "ALERTE MESHWORK: {name} n'a pas fait son check-in avant {time}. Son message: {message}{place} Répondez ACK si vous agissez.",
  alertDuress: "ALERTE MESHWORK: {name} demande de l'aide en silence ({time}). Son message: {message}{place} Répondez ACK si vous agissez.",
  place: ' Lieu indiqué: {place}.',
  handledBy: "Meshwork: {contact} s'occupe de l'alerte pour {name}. Restez disponible au cas où.",
  allClear: "Meshwork: {name} a fait son check-in. L'alerte est terminée. Merci de votre soutien.",
  optedIn: 'Meshwork: merci. Vous ne recevrez un SMS que si une personne qui vous fait confiance manque un check-in. Répondez STOP pour vous désinscrire.',
  ackThanks: 'Meshwork: merci. Les autres sont prévenus que vous vous en occupez.',
  ackAlready: "Meshwork: {contact} s'en occupe déjà. Merci.",
  nothingOpen: 'Meshwork: aucune alerte ouverte pour vous.',
  help: 'Meshwork: répondez ACK pour agir sur une alerte, STOP pour ne plus recevoir de SMS.',
  checkedIn: 'Enregistré.',
  pinNotRecognised: 'Non reconnu. Réessayez.',
  phoneCode: 'Code Meshwork : {code}. Saisissez-le dans l\'app. Si vous ne l\'avez pas demandé, ignorez ce message.',
};

// Bahasa Indonesia (GSM-7).
const id: Catalogue = {
  invitation: '{name} meminta Anda menjadi kontak tepercaya di Meshwork. Jika {name} melewatkan check-in keselamatan, Anda akan menerima SMS. Balas YA untuk setuju atau STOP untuk menolak.',
  alert: 'PERINGATAN MESHWORK: {name} tidak check-in sebelum {time}. Pesannya: {message}{place} Balas ACK jika Anda akan bertindak.',
  alertDuress: 'PERINGATAN MESHWORK: {name} diam-diam meminta bantuan ({time}). Pesannya: {message}{place} Balas ACK jika Anda akan bertindak.',
  place: ' Lokasi terakhir: {place}.',
  handledBy: 'Meshwork: {contact} sedang menangani peringatan untuk {name}. Tetaplah siaga jika dibutuhkan.',
  allClear: 'Meshwork: {name} sudah check-in. Peringatan selesai. Terima kasih atas dukungan Anda.',
  optedIn: 'Meshwork: terima kasih. Anda hanya akan menerima SMS jika orang yang memercayai Anda melewatkan check-in. Balas STOP kapan saja untuk berhenti.',
  ackThanks: 'Meshwork: terima kasih. Yang lain sedang diberi tahu bahwa Anda menanganinya.',
  ackAlready: 'Meshwork: {contact} sudah menanganinya. Terima kasih.',
  nothingOpen: 'Meshwork: tidak ada peringatan terbuka untuk Anda.',
  help: 'Meshwork: balas ACK untuk menangani peringatan, STOP untuk menghentikan semua SMS.',
  checkedIn: 'Diterima.',
  pinNotRecognised: 'Tidak dikenali. Coba lagi.',
  phoneCode: 'Kode Meshwork: {code}. Masukkan di aplikasi. Jika Anda tidak memintanya, abaikan pesan ini.',
};

// Khmer (UCS-2, Unicode Khmer script).
const km: Catalogue = {
  invitation: '{name} សុំឱ្យអ្នកជាអ្នកទុកចិត្តលើ Meshwork។ បើគាត់ខកខាន check-in អ្នកនឹងទទួល SMS។ ឆ្លើយ YES យល់ព្រម ឬ STOP បដិសេធ។',
  alert: 'SOS: {name} មិនបាន check-in ({time})។ {message}{place} ឆ្លើយ ACK បើអ្នកជួយ។',
  alertDuress: 'SOS: {name} សុំជំនួយស្ងាត់ៗ ({time})។ {message}{place} ឆ្លើយ ACK បើអ្នកជួយ។',
  place: ' ទីតាំង: {place}។',
  handledBy: 'Meshwork: {contact} កំពុងជួយ {name}។ សូមនៅចាំ ក្រែងត្រូវការអ្នក។',
  allClear: 'Meshwork: {name} បាន check-in ហើយ។ ការប្រកាសអាសន្នបានបញ្ចប់។ សូមអរគុណ។',
  optedIn: 'Meshwork: សូមអរគុណ។ អ្នកនឹងទទួល SMS តែពេលអ្នកដែលទុកចិត្តអ្នកខកខាន check-in។ ឆ្លើយ STOP ដើម្បីឈប់។',
  ackThanks: 'Meshwork: សូមអរគុណ។ យើងកំពុងប្រាប់អ្នកផ្សេងថាអ្នកកំពុងជួយ។',
  ackAlready: 'Meshwork: {contact} កំពុងជួយរួចហើយ។ សូមអរគុណ។',
  nothingOpen: 'Meshwork: គ្មានការប្រកាសអាសន្នសម្រាប់អ្នកទេ។',
  help: 'Meshwork: ឆ្លើយ ACK ដើម្បីជួយ, STOP ដើម្បីឈប់ទទួល SMS ទាំងអស់។',
  checkedIn: 'បានទទួល។',
  pinNotRecognised: 'មិនស្គាល់។ សូមព្យាយាមម្តងទៀត។',
  phoneCode: 'លេខកូដ Meshwork: {code}។ បញ្ចូលវាក្នុងកម្មវិធី។ បើអ្នកមិនបានស្នើ សូមកុំខ្វល់។',
};

// Burmese (UCS-2, Unicode Myanmar script: phones still set to the Zawgyi font show it garbled).
const my: Catalogue = {
  invitation: '{name} က Meshwork တွင် သင့်ကို ယုံကြည်ရသူအဖြစ် ရွေးထားသည်။ သူ check-in မလုပ်ပါက SMS ရမည်။ သဘောတူ YES၊ ငြင်း STOP။',
  alert: 'SOS: {name} check-in မလုပ်ပါ {time}။ {message}{place} ကူညီလျှင် ACK ပို့ပါ။',
  alertDuress: 'SOS: {name} တိတ်တိတ် အကူအညီတောင်း {time}။ {message}{place} ကူညီလျှင် ACK ပို့။',
  place: ' နေရာ: {place}။',
  handledBy: 'Meshwork: {contact} က {name} ကို ကူညီနေသည်။ လိုအပ်ပါက အဆင်သင့်ရှိနေပါ။',
  allClear: 'Meshwork: {name} check-in လုပ်ပြီးပါပြီ။ သတိပေးချက် ပြီးဆုံးပါပြီ။ ကျေးဇူးတင်ပါသည်။',
  optedIn: 'Meshwork: ကျေးဇူးတင်ပါသည်။ သင့်ကိုယုံကြည်သူ check-in မလုပ်မှသာ SMS ရမည်။ ထွက်လိုလျှင် STOP ပို့ပါ။',
  ackThanks: 'Meshwork: ကျေးဇူးတင်ပါသည်။ သင်ကူညီနေကြောင်း အခြားသူများကို အသိပေးနေသည်။',
  ackAlready: 'Meshwork: {contact} က ကူညီနေပြီ။ ကျေးဇူးတင်ပါသည်။',
  nothingOpen: 'Meshwork: သင့်အတွက် သတိပေးချက် မရှိပါ။',
  help: 'Meshwork: ကူညီရန် ACK၊ SMS အားလုံးရပ်ရန် STOP ပို့ပါ။',
  checkedIn: 'ရရှိပါပြီ။',
  pinNotRecognised: 'မမှတ်မိပါ။ ထပ်ကြိုးစားပါ။',
  phoneCode: 'Meshwork ကုဒ်: {code}။ အက်ပ်တွင် ထည့်ပါ။ သင်မတောင်းခဲ့လျှင် ဤစာကို လျစ်လျူရှုပါ။',
};

export const CATALOGUES: Record<Language, Catalogue> = { en, es, pt, fr, id, km, my };

/**
 * Every text that waits for a native speaker's review, in one place (README lists them): the SMS texts here, and the
 * web app's screens (`catalogue: 'web'`, the files `src/web/i18n/<language>.json`). A text leaves this list once
 * someone who speaks the language, and knows the region's defenders, has read it.
 */
export const AWAITING_NATIVE_REVIEW: readonly (
  | { catalogue: 'sms'; language: Language; keys: readonly MessageKey[] | 'all'; why: string }
  | { catalogue: 'web'; language: Language; keys: readonly string[] | 'all'; why: string }
)[] = [
  { catalogue: 'sms', language: 'es', keys: 'all', why: 'accents GSM-7 lacks are dropped (SI, check-in) to stay in two segments' },
  { catalogue: 'sms', language: 'pt', keys: 'all', why: 'accents GSM-7 lacks are dropped (voce, nao, confianca) to stay in two segments' },
  { catalogue: 'sms', language: 'id', keys: 'all', why: 'written by a non-native speaker; YA as the word to agree' },
  { catalogue: 'sms', language: 'km', keys: 'all', why: 'written by a non-native speaker, shortened to fit two UCS-2 segments; check-in kept in English' },
  { catalogue: 'sms', language: 'my', keys: 'all', why: 'written by a non-native speaker in Unicode (not Zawgyi), shortened to fit two UCS-2 segments; check-in kept in English' },
  { catalogue: 'web', language: 'id', keys: 'all', why: 'written by a non-native speaker; the vocabulary of risk and protection (kerentanan, kapasitas, rencana keamanan) needs checking against what defenders in Indonesia say' },
  { catalogue: 'web', language: 'km', keys: 'all', why: 'written by a non-native speaker; check-in, YES and STOP kept in Latin letters to match the SMS texts; digits in Khmer where the text is prose' },
  { catalogue: 'web', language: 'my', keys: 'all', why: 'written by a non-native speaker in Unicode (not Zawgyi); check-in, YES and STOP kept in Latin letters to match the SMS texts' },
];

/** Fills {placeholders}; a placeholder the caller did not give is left empty rather than shown raw. */
export function renderMessage(language: Language, key: MessageKey, values: Record<string, string> = {}): string {
  const template = CATALOGUES[language][key];
  return template.replace(/\{([a-z]+)\}/g, (_match, name: string) => values[name] ?? '');
}

export interface AlertTextInput {
  language: Language;
  duress: boolean;
  name: string;
  time: string;
  message: string;
  place?: string;
}

/** The alert a contact receives: the service wrapper around the defender's own message and place. */
export function renderAlert(input: AlertTextInput): string {
  const place = input.place ? renderMessage(input.language, 'place', { place: input.place.replace(/[.\s]+$/, '') }) : '';
  const trimmed = input.message.trim();
  // The defender's message ends a sentence before the service's words go on, with the script's own full stop.
  const stop = input.language === 'km' ? '។' : input.language === 'my' ? '။' : '.';
  const message = trimmed === '' ? '-' : /[.!?…។៕။]$/.test(trimmed) ? trimmed : `${trimmed}${stop}`;
  return renderMessage(input.language, input.duress ? 'alertDuress' : 'alert', { name: input.name, time: input.time, message, place });
}
