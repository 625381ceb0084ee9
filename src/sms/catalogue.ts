import { countSegments } from './segments';

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
  | 'phoneCode'
  | 'ackItem'
  | 'yesItem'
  | 'andMore'
  | 'ackWhich'
  | 'yesWhich'
  | 'ackWrongCode'
  | 'yesWrongCode'
  | 'ackAllDone'
  | 'yesAllDone'
  | 'noInvitation'
  | 'teamInvitation'
  | 'optedInTeam'
  | 'leftNetwork'
  | 'leaveItem'
  | 'leaveWhich'
  | 'noNetwork';

type Catalogue = Record<MessageKey, string>;

const en: Catalogue = {
  invitation: '{name} asks you to be a trusted contact on Meshwork. If {name} misses a safety check-in, you will get a text. Reply YES {ref} to agree or STOP to refuse.',
  alert: 'MESHWORK ALERT: {name} did not check in by {time}. Their message: {message}{place} Reply ACK {ref} if you will act on this.',
  alertDuress: 'MESHWORK ALERT: {name} sent a silent call for help at {time}. Their message: {message}{place} Reply ACK {ref} if you will act on this.',
  place: ' Last known place: {place}.',
  handledBy: 'Meshwork: {contact} is acting on the alert for {name}. Please stay available in case you are needed.',
  allClear: 'Meshwork: {name} has checked in. The alert is over. Thank you for being there.',
  optedIn: 'Meshwork: thank you. You will only get a text if {name} misses a check-in. Reply STOP at any time to stop all texts.',
  ackThanks: 'Meshwork: thank you for acting on the alert for {name}. The others are being told.',
  ackAlready: 'Meshwork: {contact} is already acting on it. Thank you.',
  nothingOpen: 'Meshwork: there is no open alert for you.',
  help: 'Meshwork: reply ACK to act on an alert, STOP to stop all texts.',
  checkedIn: 'Received.',
  pinNotRecognised: 'Not recognised. Try again.',
  phoneCode: 'Meshwork code: {code}. Enter it in the app. If you did not ask for it, ignore this text.',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (YES {ref})',
  andMore: 'and {count} more',
  ackWhich: 'Meshwork: {count} alerts open: {list}. Reply ACK and the code, or ACK ALL.',
  yesWhich: 'Meshwork: {count} invitations waiting: {list}. Reply YES and the code, or YES ALL.',
  ackWrongCode: 'Meshwork: no open alert has the code {code}. Open: {list}. Reply ACK and the code.',
  yesWrongCode: 'Meshwork: no invitation has the code {code}. Waiting: {list}. Reply YES and the code.',
  ackAllDone: 'Meshwork: you acknowledged {count} alerts: {list}. The others are being told you are acting on them.',
  yesAllDone: 'Meshwork: thank you. You agreed for {count} people: {list}. You will only get a text if one of them misses a check-in. Reply STOP to stop all texts.',
  noInvitation: 'Meshwork: no invitation is waiting for you.',
  teamInvitation: '{team} adds you to its urgent-action network on Meshwork: if one of its members misses a safety check-in, you may get a text. Reply YES {ref} to agree, LEAVE {ref} to refuse.',
  optedInTeam: 'Meshwork: thank you, you are in the urgent-action network of {name}. Reply LEAVE {ref} to leave it, STOP to stop all texts.',
  leftNetwork: 'Meshwork: you left the network of {name}. Your other networks are unchanged.',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: which network? {list}. Reply LEAVE and the code, or STOP to stop all texts.',
  noNetwork: 'Meshwork: you are in no network.',
};

const es: Catalogue = {
  invitation: '{name} te pide ser su contacto de confianza en Meshwork. Si {name} no hace su check-in de seguridad, te enviaremos un SMS. Responde SI {ref} para aceptar o STOP para rechazar.',
  alert: 'ALERTA MESHWORK: {name} no hizo su check-in antes de las {time}. Su mensaje: {message}{place} Responde ACK {ref} si vas a actuar.',
  alertDuress: 'ALERTA MESHWORK: {name} pide ayuda en silencio ({time}). Su mensaje: {message}{place} Responde ACK {ref} si vas a actuar.',
  place: ' Lugar indicado: {place}.',
  handledBy: 'Meshwork: {contact} se encarga de la alerta de {name}. Mantente disponible por si te necesitan.',
  allClear: 'Meshwork: {name} ya hizo su check-in. La alerta ha terminado. Gracias por tu apoyo.',
  optedIn: 'Meshwork: gracias. Solo te escribiremos si {name} no hace su check-in. Responde STOP para dejar de recibir SMS.',
  ackThanks: 'Meshwork: gracias por encargarte de la alerta de {name}. Avisamos al resto de la red.',
  ackAlready: 'Meshwork: {contact} ya se encarga. Gracias.',
  nothingOpen: 'Meshwork: no hay ninguna alerta abierta para ti.',
  help: 'Meshwork: responde ACK para encargarte de una alerta, STOP para dejar de recibir SMS.',
  checkedIn: 'Recibido.',
  pinNotRecognised: 'No reconocido. Intenta de nuevo.',
  phoneCode: 'Codigo de Meshwork: {code}. Escribelo en la app. Si no lo pediste, ignora este mensaje.',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (SI {ref})',
  andMore: 'y {count} mas',
  ackWhich: 'Meshwork: {count} alertas abiertas: {list}. Responde ACK y el codigo, o ACK ALL.',
  yesWhich: 'Meshwork: {count} invitaciones pendientes: {list}. Responde SI y el codigo, o SI ALL.',
  ackWrongCode: 'Meshwork: ninguna alerta abierta tiene el codigo {code}. Abiertas: {list}. Responde ACK y el codigo.',
  yesWrongCode: 'Meshwork: ninguna invitacion tiene el codigo {code}. Pendientes: {list}. Responde SI y el codigo.',
  ackAllDone: 'Meshwork: te encargas de {count} alertas: {list}. Avisamos al resto de cada red.',
  yesAllDone: 'Meshwork: gracias. Aceptaste {count} invitaciones: {list}. Solo te escribiremos si alguna de esas personas no hace su check-in. Responde STOP para salir.',
  noInvitation: 'Meshwork: no tienes ninguna invitacion pendiente.',
  teamInvitation: '{team} te suma a su red de accion urgente en Meshwork: si alguien del equipo no hace su check-in de seguridad, podrias recibir un SMS. Responde SI {ref} para aceptar, LEAVE {ref} para rechazar.',
  optedInTeam: 'Meshwork: gracias, estas en la red de accion urgente de {name}. Responde LEAVE {ref} para salir, STOP para no recibir mas SMS.',
  leftNetwork: 'Meshwork: saliste de la red de {name}. Tus otras redes no cambian.',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: de que red? {list}. Responde LEAVE y el codigo, o STOP para no recibir mas SMS.',
  noNetwork: 'Meshwork: no estas en ninguna red.',
};

const pt: Catalogue = {
  invitation: '{name} convida voce para ser contato de confianca no Meshwork. Se {name} nao fizer um check-in de seguranca, voce recebera um SMS. Responda SIM {ref} para aceitar ou STOP para recusar.',
  alert: 'ALERTA MESHWORK: {name} nao fez o check-in ate {time}. Mensagem: {message}{place} Responda ACK {ref} se voce vai agir.',
  alertDuress: 'ALERTA MESHWORK: {name} pediu ajuda em silencio ({time}). Mensagem: {message}{place} Responda ACK {ref} se voce vai agir.',
  place: ' Local indicado: {place}.',
  handledBy: 'Meshwork: {contact} esta cuidando do alerta de {name}. Fique disponivel caso precisem de voce.',
  allClear: 'Meshwork: {name} fez o check-in. O alerta terminou. Obrigado pelo apoio.',
  optedIn: 'Meshwork: obrigado. So enviaremos SMS se {name} nao fizer o check-in. Responda STOP para parar todos os SMS.',
  ackThanks: 'Meshwork: obrigado por cuidar do alerta de {name}. Avisamos o resto da rede.',
  ackAlready: 'Meshwork: {contact} ja esta cuidando disso. Obrigado.',
  nothingOpen: 'Meshwork: nao ha nenhum alerta aberto para voce.',
  help: 'Meshwork: responda ACK para cuidar de um alerta, STOP para parar os SMS.',
  checkedIn: 'Recebido.',
  pinNotRecognised: 'Nao reconhecido. Tente de novo.',
  phoneCode: 'Codigo Meshwork: {code}. Digite-o no app. Se voce nao pediu, ignore esta mensagem.',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (SIM {ref})',
  andMore: 'e mais {count}',
  ackWhich: 'Meshwork: {count} alertas abertos: {list}. Responda ACK e o codigo, ou ACK ALL.',
  yesWhich: 'Meshwork: {count} convites pendentes: {list}. Responda SIM e o codigo, ou SIM ALL.',
  ackWrongCode: 'Meshwork: nenhum alerta aberto tem o codigo {code}. Abertos: {list}. Responda ACK e o codigo.',
  yesWrongCode: 'Meshwork: nenhum convite tem o codigo {code}. Pendentes: {list}. Responda SIM e o codigo.',
  ackAllDone: 'Meshwork: voce cuida de {count} alertas: {list}. Avisamos o resto de cada rede.',
  yesAllDone: 'Meshwork: obrigado. Voce aceitou {count} convites: {list}. So enviaremos SMS se uma dessas pessoas nao fizer o check-in. Responda STOP para sair.',
  noInvitation: 'Meshwork: voce nao tem nenhum convite pendente.',
  teamInvitation: '{team} inclui voce na rede de acao urgente no Meshwork: se alguem da equipe nao fizer um check-in de seguranca, voce pode receber um SMS. Responda SIM {ref} para aceitar, LEAVE {ref} para recusar.',
  optedInTeam: 'Meshwork: obrigado, voce esta na rede de acao urgente de {name}. Responda LEAVE {ref} para sair, STOP para parar todos os SMS.',
  leftNetwork: 'Meshwork: voce saiu da rede de {name}. Suas outras redes continuam iguais.',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: qual rede? {list}. Responda LEAVE e o codigo, ou STOP para parar todos os SMS.',
  noNetwork: 'Meshwork: voce nao esta em nenhuma rede.',
};

const fr: Catalogue = {
  invitation: '{name} vous choisit comme contact de confiance sur Meshwork. Si {name} manque un check-in de sécurité, vous recevrez un SMS. Répondez OUI {ref} pour accepter ou STOP pour refuser.',
  alert: "ALERTE MESHWORK: {name} n'a pas fait son check-in avant {time}. Son message: {message}{place} Répondez ACK {ref} si vous agissez.",
  alertDuress: "ALERTE MESHWORK: {name} demande de l'aide en silence ({time}). Son message: {message}{place} Répondez ACK {ref} si vous agissez.",
  place: ' Lieu indiqué: {place}.',
  handledBy: "Meshwork: {contact} s'occupe de l'alerte pour {name}. Restez disponible au cas où.",
  allClear: "Meshwork: {name} a fait son check-in. L'alerte est terminée. Merci de votre soutien.",
  optedIn: 'Meshwork: merci. Vous ne recevrez un SMS que si {name} manque un check-in. Répondez STOP pour ne plus recevoir de SMS.',
  ackThanks: "Meshwork: merci de vous occuper de l'alerte pour {name}. Les autres sont prévenus.",
  ackAlready: "Meshwork: {contact} s'en occupe déjà. Merci.",
  nothingOpen: 'Meshwork: aucune alerte ouverte pour vous.',
  help: 'Meshwork: répondez ACK pour agir sur une alerte, STOP pour ne plus recevoir de SMS.',
  checkedIn: 'Enregistré.',
  pinNotRecognised: 'Non reconnu. Réessayez.',
  phoneCode: 'Code Meshwork : {code}. Saisissez-le dans l\'app. Si vous ne l\'avez pas demandé, ignorez ce message.',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (OUI {ref})',
  andMore: 'et {count} autres',
  ackWhich: 'Meshwork: {count} alertes ouvertes: {list}. Répondez ACK et le code, ou ACK ALL.',
  yesWhich: 'Meshwork: {count} invitations en attente: {list}. Répondez OUI et le code, ou OUI ALL.',
  ackWrongCode: "Meshwork: aucune alerte ouverte n'a le code {code}. Ouvertes: {list}. Répondez ACK et le code.",
  yesWrongCode: "Meshwork: aucune invitation n'a le code {code}. En attente: {list}. Répondez OUI et le code.",
  ackAllDone: 'Meshwork: vous vous occupez de {count} alertes: {list}. Les autres sont prévenus.',
  yesAllDone: "Meshwork: merci. Vous avez accepté {count} invitations: {list}. Vous ne recevrez un SMS que si l'une de ces personnes manque un check-in. Répondez STOP pour vous désinscrire.",
  noInvitation: 'Meshwork: aucune invitation en attente pour vous.',
  teamInvitation: "{team} vous ajoute à son réseau d'action urgente sur Meshwork: si l'un de ses membres manque un check-in de sécurité, vous pourrez recevoir un SMS. Répondez OUI {ref} pour accepter, LEAVE {ref} pour refuser.",
  optedInTeam: "Meshwork: merci, vous faites partie du réseau d'action urgente de {name}. Répondez LEAVE {ref} pour le quitter, STOP pour ne plus recevoir de SMS.",
  leftNetwork: 'Meshwork: vous avez quitté le réseau de {name}. Vos autres réseaux ne changent pas.',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: quel réseau? {list}. Répondez LEAVE et le code, ou STOP pour ne plus recevoir de SMS.',
  noNetwork: "Meshwork: vous ne faites partie d'aucun réseau.",
};

// Bahasa Indonesia (GSM-7).
const id: Catalogue = {
  invitation: '{name} meminta Anda menjadi kontak tepercaya di Meshwork. Jika {name} melewatkan check-in keselamatan, Anda akan menerima SMS. Balas YA {ref} untuk setuju atau STOP untuk menolak.',
  alert: 'PERINGATAN MESHWORK: {name} tidak check-in sebelum {time}. Pesannya: {message}{place} Balas ACK {ref} jika Anda akan bertindak.',
  alertDuress: 'PERINGATAN MESHWORK: {name} diam-diam meminta bantuan ({time}). Pesannya: {message}{place} Balas ACK {ref} jika Anda akan bertindak.',
  place: ' Lokasi terakhir: {place}.',
  handledBy: 'Meshwork: {contact} sedang menangani peringatan untuk {name}. Tetaplah siaga jika dibutuhkan.',
  allClear: 'Meshwork: {name} sudah check-in. Peringatan selesai. Terima kasih atas dukungan Anda.',
  optedIn: 'Meshwork: terima kasih. Anda hanya akan menerima SMS jika {name} melewatkan check-in. Balas STOP kapan saja untuk menghentikan semua SMS.',
  ackThanks: 'Meshwork: terima kasih telah menangani peringatan untuk {name}. Yang lain sedang diberi tahu.',
  ackAlready: 'Meshwork: {contact} sudah menanganinya. Terima kasih.',
  nothingOpen: 'Meshwork: tidak ada peringatan terbuka untuk Anda.',
  help: 'Meshwork: balas ACK untuk menangani peringatan, STOP untuk menghentikan semua SMS.',
  checkedIn: 'Diterima.',
  pinNotRecognised: 'Tidak dikenali. Coba lagi.',
  phoneCode: 'Kode Meshwork: {code}. Masukkan di aplikasi. Jika Anda tidak memintanya, abaikan pesan ini.',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (YA {ref})',
  andMore: 'dan {count} lainnya',
  ackWhich: 'Meshwork: {count} peringatan terbuka: {list}. Balas ACK dan kodenya, atau ACK ALL.',
  yesWhich: 'Meshwork: {count} undangan menunggu: {list}. Balas YA dan kodenya, atau YA ALL.',
  ackWrongCode: 'Meshwork: tidak ada peringatan terbuka dengan kode {code}. Terbuka: {list}. Balas ACK dan kodenya.',
  yesWrongCode: 'Meshwork: tidak ada undangan dengan kode {code}. Menunggu: {list}. Balas YA dan kodenya.',
  ackAllDone: 'Meshwork: Anda menangani {count} peringatan: {list}. Yang lain sedang diberi tahu.',
  yesAllDone: 'Meshwork: terima kasih. Anda menyetujui {count} undangan: {list}. Anda hanya akan menerima SMS jika salah satu dari mereka melewatkan check-in. Balas STOP untuk berhenti.',
  noInvitation: 'Meshwork: tidak ada undangan yang menunggu Anda.',
  teamInvitation: '{team} menambahkan Anda ke jaringan aksi darurat di Meshwork: jika salah satu anggotanya melewatkan check-in keselamatan, Anda bisa menerima SMS. Balas YA {ref} untuk setuju, LEAVE {ref} untuk menolak.',
  optedInTeam: 'Meshwork: terima kasih, Anda ada di jaringan aksi darurat {name}. Balas LEAVE {ref} untuk keluar, STOP untuk menghentikan semua SMS.',
  leftNetwork: 'Meshwork: Anda keluar dari jaringan {name}. Jaringan Anda yang lain tidak berubah.',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: jaringan yang mana? {list}. Balas LEAVE dan kodenya, atau STOP untuk menghentikan semua SMS.',
  noNetwork: 'Meshwork: Anda tidak ada di jaringan mana pun.',
};

// Khmer (UCS-2, Unicode Khmer script).
const km: Catalogue = {
  invitation: '{name} សុំឱ្យអ្នកជាអ្នកទុកចិត្តលើ Meshwork។ បើគាត់ខកខាន check-in អ្នកនឹងទទួល SMS។ ឆ្លើយ YES {ref} យល់ព្រម ឬ STOP បដិសេធ។',
  alert: 'SOS: {name} មិនបាន check-in {time}។ {message}{place} ឆ្លើយ ACK {ref} បើជួយ។',
  alertDuress: 'SOS: {name} សុំជំនួយស្ងាត់ៗ {time}។ {message}{place} ឆ្លើយ ACK {ref} បើជួយ។',
  place: ' ទីតាំង: {place}។',
  handledBy: 'Meshwork: {contact} កំពុងជួយ {name}។ សូមនៅចាំ ក្រែងត្រូវការអ្នក។',
  allClear: 'Meshwork: {name} បាន check-in ហើយ។ ការប្រកាសអាសន្នបានបញ្ចប់។ សូមអរគុណ។',
  optedIn: 'Meshwork: សូមអរគុណ។ អ្នកនឹងទទួល SMS តែពេល {name} ខកខាន check-in។ ឆ្លើយ STOP ដើម្បីឈប់។',
  ackThanks: 'Meshwork: សូមអរគុណដែលជួយ {name}។ យើងកំពុងប្រាប់អ្នកផ្សេង។',
  ackAlready: 'Meshwork: {contact} កំពុងជួយរួចហើយ។ សូមអរគុណ។',
  nothingOpen: 'Meshwork: គ្មានការប្រកាសអាសន្នសម្រាប់អ្នកទេ។',
  help: 'Meshwork: ឆ្លើយ ACK ដើម្បីជួយ, STOP ដើម្បីឈប់ទទួល SMS ទាំងអស់។',
  checkedIn: 'បានទទួល។',
  pinNotRecognised: 'មិនស្គាល់។ សូមព្យាយាមម្តងទៀត។',
  phoneCode: 'លេខកូដ Meshwork: {code}។ បញ្ចូលវាក្នុងកម្មវិធី។ បើអ្នកមិនបានស្នើ សូមកុំខ្វល់។',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (YES {ref})',
  andMore: 'និង {count} ទៀត',
  ackWhich: 'Meshwork: ការប្រកាសអាសន្ន {count}: {list}។ ឆ្លើយ ACK និងលេខកូដ ឬ ACK ALL។',
  yesWhich: 'Meshwork: ការអញ្ជើញ {count}: {list}។ ឆ្លើយ YES និងលេខកូដ ឬ YES ALL។',
  ackWrongCode: 'Meshwork: គ្មានលេខកូដ {code} ទេ។ បើក: {list}។ ឆ្លើយ ACK និងលេខកូដ។',
  yesWrongCode: 'Meshwork: គ្មានលេខកូដ {code} ទេ។ រង់ចាំ: {list}។ ឆ្លើយ YES និងលេខកូដ។',
  ackAllDone: 'Meshwork: អ្នកកំពុងជួយ {count}: {list}។ យើងកំពុងប្រាប់អ្នកផ្សេង។',
  yesAllDone: 'Meshwork: សូមអរគុណ។ អ្នកយល់ព្រម {count}: {list}។ ឆ្លើយ STOP ដើម្បីឈប់។',
  noInvitation: 'Meshwork: គ្មានការអញ្ជើញសម្រាប់អ្នកទេ។',
  teamInvitation: '{team} បញ្ចូលអ្នកក្នុងបណ្តាញបន្ទាន់។ បើសមាជិកខកខាន check-in អ្នកទទួល SMS។ YES {ref} យល់ព្រម LEAVE {ref} បដិសេធ។',
  optedInTeam: 'Meshwork: សូមអរគុណ អ្នកនៅក្នុងបណ្តាញរបស់ {name}។ ឆ្លើយ LEAVE {ref} ដើម្បីចាកចេញ STOP ដើម្បីឈប់ទាំងអស់។',
  leftNetwork: 'Meshwork: អ្នកបានចាកចេញពីបណ្តាញ {name}។ បណ្តាញផ្សេងទៀតមិនផ្លាស់ប្តូរទេ។',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: បណ្តាញណា? {list}។ ឆ្លើយ LEAVE និងលេខកូដ ឬ STOP។',
  noNetwork: 'Meshwork: អ្នកមិននៅក្នុងបណ្តាញណាទេ។',
};

// Burmese (UCS-2, Unicode Myanmar script: phones still set to the Zawgyi font show it garbled).
const my: Catalogue = {
  invitation: '{name} က Meshwork တွင် သင့်ကို ယုံကြည်ရသူအဖြစ် ရွေးထားသည်။ သူ check-in မလုပ်ပါက SMS ရမည်။ သဘောတူ YES {ref}၊ ငြင်း STOP။',
  alert: 'SOS: {name} check-in မလုပ်ပါ {time}။ {message}{place} ကူညီလျှင် ACK {ref}။',
  alertDuress: 'SOS: {name} တိတ်တိတ် အကူအညီတောင်း {time}။ {message}{place} ကူညီလျှင် ACK {ref}။',
  place: ' နေရာ: {place}။',
  handledBy: 'Meshwork: {contact} က {name} ကို ကူညီနေသည်။ လိုအပ်ပါက အဆင်သင့်ရှိနေပါ။',
  allClear: 'Meshwork: {name} check-in လုပ်ပြီးပါပြီ။ သတိပေးချက် ပြီးဆုံးပါပြီ။ ကျေးဇူးတင်ပါသည်။',
  optedIn: 'Meshwork: ကျေးဇူးတင်ပါသည်။ {name} check-in မလုပ်မှသာ SMS ရမည်။ ထွက်လိုလျှင် STOP ပို့ပါ။',
  ackThanks: 'Meshwork: {name} ကို ကူညီသည့်အတွက် ကျေးဇူးတင်ပါသည်။ အခြားသူများကို အသိပေးနေသည်။',
  ackAlready: 'Meshwork: {contact} က ကူညီနေပြီ။ ကျေးဇူးတင်ပါသည်။',
  nothingOpen: 'Meshwork: သင့်အတွက် သတိပေးချက် မရှိပါ။',
  help: 'Meshwork: ကူညီရန် ACK၊ SMS အားလုံးရပ်ရန် STOP ပို့ပါ။',
  checkedIn: 'ရရှိပါပြီ။',
  pinNotRecognised: 'မမှတ်မိပါ။ ထပ်ကြိုးစားပါ။',
  phoneCode: 'Meshwork ကုဒ်: {code}။ အက်ပ်တွင် ထည့်ပါ။ သင်မတောင်းခဲ့လျှင် ဤစာကို လျစ်လျူရှုပါ။',
  ackItem: '{name} (ACK {ref})',
  yesItem: '{name} (YES {ref})',
  andMore: 'နှင့် နောက်ထပ် {count} ခု',
  ackWhich: 'Meshwork: သတိပေးချက် {count} ခု: {list}။ ACK နှင့် ကုဒ် သို့မဟုတ် ACK ALL ပို့ပါ။',
  yesWhich: 'Meshwork: ဖိတ်ကြားချက် {count} ခု: {list}။ YES နှင့် ကုဒ် သို့မဟုတ် YES ALL ပို့ပါ။',
  ackWrongCode: 'Meshwork: ကုဒ် {code} မရှိပါ။ ဖွင့်ထား: {list}။ ACK နှင့် ကုဒ် ပို့ပါ။',
  yesWrongCode: 'Meshwork: ကုဒ် {code} မရှိပါ။ စောင့်ဆဲ: {list}။ YES နှင့် ကုဒ် ပို့ပါ။',
  ackAllDone: 'Meshwork: သင် {count} ခု ကူညီနေသည်: {list}။ အခြားသူများကို အသိပေးနေသည်။',
  yesAllDone: 'Meshwork: ကျေးဇူးတင်ပါသည်။ {count} ခု သဘောတူပြီး: {list}။ ထွက်လိုလျှင် STOP ပို့ပါ။',
  noInvitation: 'Meshwork: သင့်အတွက် ဖိတ်ကြားချက် မရှိပါ။',
  teamInvitation: '{team} က အရေးပေါ်ကွန်ရက်တွင် ထည့်သည်။ အဖွဲ့ဝင် check-in မလုပ်ပါက SMS ရမည်။ သဘောတူ YES {ref}၊ ငြင်း LEAVE {ref}။',
  optedInTeam: 'Meshwork: ကျေးဇူးတင်ပါသည်၊ သင် {name} ၏ ကွန်ရက်တွင် ပါဝင်သည်။ ထွက်ရန် LEAVE {ref}၊ အားလုံးရပ်ရန် STOP။',
  leftNetwork: 'Meshwork: သင် {name} ၏ ကွန်ရက်မှ ထွက်ပြီးပါပြီ။ အခြားကွန်ရက်များ မပြောင်းပါ။',
  leaveItem: '{name} (LEAVE {ref})',
  leaveWhich: 'Meshwork: မည်သည့်ကွန်ရက်နည်း? {list}။ LEAVE နှင့် ကုဒ် သို့မဟုတ် STOP ပို့ပါ။',
  noNetwork: 'Meshwork: သင် မည်သည့်ကွန်ရက်တွင်မှ မပါပါ။',
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
  {
    catalogue: 'sms',
    language: 'fr',
    keys: ['optedIn', 'ackThanks', 'andMore', 'ackWhich', 'yesWhich', 'ackWrongCode', 'yesWrongCode', 'ackAllDone', 'yesAllDone', 'noInvitation', 'teamInvitation', 'optedInTeam', 'leftNetwork', 'leaveWhich', 'noNetwork'],
    why: 'the reply-code and team-network texts, written by a non-native speaker; "ACK ALL" / "OUI ALL" and LEAVE kept in English',
  },
  { catalogue: 'sms', language: 'id', keys: 'all', why: 'written by a non-native speaker; YA as the word to agree' },
  { catalogue: 'sms', language: 'km', keys: 'all', why: 'written by a non-native speaker, shortened to fit two UCS-2 segments; check-in kept in English; the team invitation leaves out the name Meshwork to fit' },
  { catalogue: 'sms', language: 'my', keys: 'all', why: 'written by a non-native speaker in Unicode (not Zawgyi), shortened to fit two UCS-2 segments; check-in kept in English; the team invitation leaves out the name Meshwork to fit' },
  { catalogue: 'web', language: 'id', keys: 'all', why: 'written by a non-native speaker; the vocabulary of risk and protection (kerentanan, kapasitas, rencana keamanan) needs checking against what defenders in Indonesia say' },
  { catalogue: 'web', language: 'km', keys: 'all', why: 'written by a non-native speaker; check-in, YES and STOP kept in Latin letters to match the SMS texts; digits in Khmer where the text is prose' },
  { catalogue: 'web', language: 'my', keys: 'all', why: 'written by a non-native speaker in Unicode (not Zawgyi); check-in, YES and STOP kept in Latin letters to match the SMS texts' },
];

/** Fills {placeholders}; a placeholder the caller did not give is left empty rather than shown raw. */
export function renderMessage(language: Language, key: MessageKey, values: Record<string, string> = {}): string {
  const template = CATALOGUES[language][key];
  // A text sent without a reply reference (none could be given) reads "Reply ACK if…", not "Reply ACK  if…".
  const withRef = values.ref ? template : template.replace(/ \{ref\}/g, '');
  return withRef.replace(/\{([a-z]+)\}/g, (_match, name: string) => values[name] ?? '');
}

/** Shown in previews (what a contact would receive) for an entry that has no reference yet: the same length. */
export const SAMPLE_REPLY_REF = '4K';

// A defender's name in a list is cut here, so that a list of long names still leaves room for the others.
const LIST_NAME_LIMIT = 24;

/**
 * A service text with a list of names in it ("Ana (ACK 4K), Bea (ACK 9T) and 3 more"), trimmed from the end until
 * the whole text fits two SMS segments: "and N more" keeps the count true, so nobody is silently left out. Items come
 * from listItem (names already cut to LIST_NAME_LIMIT).
 */
export function renderWithList(language: Language, key: MessageKey, values: Record<string, string>, items: readonly string[]): string {
  const shortened = items;
  let text = '';
  for (let shown = shortened.length; shown >= 1; shown -= 1) {
    const rest = shortened.length - shown;
    const head = shortened.slice(0, shown).join(', ');
    const list = rest > 0 ? `${head} ${renderMessage(language, 'andMore', { count: String(rest) })}` : head;
    text = renderMessage(language, key, { ...values, list });
    if (countSegments(text).segments <= 2) return text;
  }
  return text;
}

/** A name in a list, cut to LIST_NAME_LIMIT. */
export function listItemName(name: string): string {
  return name.length > LIST_NAME_LIMIT ? `${name.slice(0, LIST_NAME_LIMIT - 1).trimEnd()}.` : name;
}

/** "Ana (ACK 4K)": a list entry, the name cut to fit (the code never is). */
export function listItem(language: Language, word: 'ack' | 'yes', name: string, ref: string | undefined): string {
  return renderMessage(language, word === 'ack' ? 'ackItem' : 'yesItem', { name: listItemName(name), ref: ref ?? '' });
}

export interface AlertTextInput {
  language: Language;
  duress: boolean;
  name: string;
  time: string;
  message: string;
  place?: string;
  /** The contact entry's reply reference ("Reply ACK 4K"). */
  ref?: string;
}

/** The alert a contact receives: the service wrapper around the defender's own message and place. */
export function renderAlert(input: AlertTextInput): string {
  const place = input.place ? renderMessage(input.language, 'place', { place: input.place.replace(/[.\s]+$/, '') }) : '';
  const trimmed = input.message.trim();
  // The defender's message ends a sentence before the service's words go on, with the script's own full stop.
  const stop = input.language === 'km' ? '។' : input.language === 'my' ? '။' : '.';
  const message = trimmed === '' ? '-' : /[.!?…។៕။]$/.test(trimmed) ? trimmed : `${trimmed}${stop}`;
  return renderMessage(input.language, input.duress ? 'alertDuress' : 'alert', { name: input.name, time: input.time, message, place, ref: input.ref ?? '' });
}
