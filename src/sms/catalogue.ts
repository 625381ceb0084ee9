/**
 * Every text the service sends, in each contact's language. Written to stay within the GSM-7
 * alphabet (so two segments hold 306 characters, not 134): accents GSM-7 lacks (á, í, ó, ú, ã, ç,
 * ê...) are avoided or dropped, as people commonly do in SMS. test/sms-catalogue.test.ts checks
 * every text, with realistic placeholders, fits in two segments.
 *
 * What whoever holds a phone learns is kept small: the defender's own phone only ever gets
 * "Received" or "Not recognised"; contacts get the name the defender chose to be known by.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr'] as const;
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

export const CATALOGUES: Record<Language, Catalogue> = { en, es, pt, fr };

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
  const message = trimmed === '' ? '-' : /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
  return renderMessage(input.language, input.duress ? 'alertDuress' : 'alert', { name: input.name, time: input.time, message, place });
}
