#include "http/CurlMulti.h"

#include "http/CurlLibrary.h"
#include "http/CurlTransfer.h"

#include <QSocketNotifier>

#include <algorithm>

namespace {
bool removeFrom(std::vector<CurlTransfer *> &list, CurlTransfer *transfer)
{
    const auto found = std::find(list.begin(), list.end(), transfer);
    if (found == list.end())
        return false;
    list.erase(found);
    return true;
}
} // namespace

std::shared_ptr<CurlMulti> CurlMulti::forCurrentThread(QString *error)
{
    if (!CurlLibrary::instance(error))
        return nullptr;
    thread_local std::weak_ptr<CurlMulti> current;
    std::shared_ptr<CurlMulti> multi = current.lock();
    if (!multi) {
        multi = std::make_shared<CurlMulti>();
        current = multi;
    }
    return multi;
}

CurlMulti::CurlMulti()
    : m_curl(CurlLibrary::instance())
    , m_multi(m_curl->multi_init())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { drive(CURL_SOCKET_TIMEOUT, 0); });
    m_curl->multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::onSocketChange);
    m_curl->multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    m_curl->multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::onTimerChange);
    m_curl->multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti()
{
    freeReleased();
    for (CurlTransfer *transfer : m_starting)
        delete transfer;
    for (CurlTransfer *transfer : m_failed)
        delete transfer;
    // Closing the cached connections calls onSocketChange for each; the notifiers go with us.
    m_curl->multi_cleanup(m_multi);
}

void CurlMulti::start(CurlTransfer *transfer)
{
    if (m_depth > 0) {
        m_starting.push_back(transfer); // curl takes no new handle from inside its callbacks
        return;
    }
    transfer->setRunning(m_curl->multi_add_handle(m_multi, transfer->handle()) == CURLM_OK);
    if (transfer->isRunning())
        return;
    // Reported from the event loop, like every other end; a transfer released by then is not.
    m_failed.push_back(transfer);
    QTimer::singleShot(0, this, [this, keep = shared_from_this()] {
        std::vector<CurlTransfer *> failed;
        failed.swap(m_failed);
        for (CurlTransfer *refused : failed) {
            if (CurlTransferClient *client = refused->client())
                client->transferDone(CURLE_FAILED_INIT, QStringLiteral("libcurl could not start the transfer"));
        }
    });
}

void CurlMulti::release(CurlTransfer *transfer)
{
    if (!transfer)
        return;
    transfer->detach();
    if (removeFrom(m_starting, transfer) || removeFrom(m_failed, transfer)) {
        delete transfer; // never handed to curl
        return;
    }
    if (m_depth > 0) {
        m_released.push_back(transfer); // curl is inside one of this transfer's callbacks, maybe
        return;
    }
    if (transfer->isRunning())
        m_curl->multi_remove_handle(m_multi, transfer->handle());
    delete transfer;
}

int CurlMulti::onSocketChange(CURL *, curl_socket_t socket, int what, void *self, void *)
{
    static_cast<CurlMulti *>(self)->watch(socket, what);
    return 0;
}

int CurlMulti::onTimerChange(CURLM *, long timeoutMs, void *self)
{
    auto *multi = static_cast<CurlMulti *>(self);
    if (timeoutMs < 0)
        multi->m_timer.stop();
    else
        multi->m_timer.start(static_cast<int>(std::min(timeoutMs, 24L * 3600 * 1000)));
    return 0;
}

void CurlMulti::watch(curl_socket_t socket, int what)
{
    const auto retire = [](QSocketNotifier *&notifier) {
        if (!notifier)
            return;
        // Maybe inside its own activated(): disabled now, deleted once the event loop is back.
        notifier->setEnabled(false);
        notifier->deleteLater();
        notifier = nullptr;
    };
    if (what == CURL_POLL_REMOVE) {
        const auto found = m_watches.find(socket);
        if (found != m_watches.end()) {
            retire(found->second.read);
            retire(found->second.write);
            m_watches.erase(found);
        }
        return;
    }
    Watch &watch = m_watches[socket];
    watch.what = what;
    const auto want = [this, socket](QSocketNotifier *&notifier, QSocketNotifier::Type type, int event, bool on) {
        if (!on) {
            if (notifier)
                notifier->setEnabled(false);
            return;
        }
        if (!notifier) {
            notifier = new QSocketNotifier(static_cast<qintptr>(socket), type, this);
            connect(notifier, &QSocketNotifier::activated, this, [this, socket, event] { drive(socket, event); });
        }
        notifier->setEnabled(true);
    };
    want(watch.read, QSocketNotifier::Read, CURL_CSELECT_IN, what == CURL_POLL_IN || what == CURL_POLL_INOUT);
    want(watch.write, QSocketNotifier::Write, CURL_CSELECT_OUT, what == CURL_POLL_OUT || what == CURL_POLL_INOUT);
}

void CurlMulti::drive(curl_socket_t socket, int events)
{
    if (m_depth > 0) {
        // A nested event loop inside one of curl's callbacks (a dialog opened from a progress
        // slot): curl cannot be entered again. The socket is muted so its level-triggered
        // notifier does not spin, and heard again once curl has returned.
        if (socket == CURL_SOCKET_TIMEOUT) {
            m_timeoutDeferred = true;
        } else if (const auto found = m_watches.find(socket); found != m_watches.end()) {
            for (QSocketNotifier *notifier : {found->second.read, found->second.write}) {
                if (notifier)
                    notifier->setEnabled(false);
            }
            if (std::find(m_muted.begin(), m_muted.end(), socket) == m_muted.end())
                m_muted.push_back(socket);
        }
        return;
    }
    // A client may drop the last reference to this multi from a slot run inside this call.
    const std::shared_ptr<CurlMulti> keep = shared_from_this();
    int running = 0;
    ++m_depth;
    m_curl->multi_socket_action(m_multi, socket, events, &running);
    --m_depth;
    freeReleased();
    std::vector<CurlTransfer *> starting;
    starting.swap(m_starting);
    for (CurlTransfer *transfer : starting)
        start(transfer);
    reapFinished();
    std::vector<curl_socket_t> muted;
    muted.swap(m_muted);
    for (curl_socket_t again : muted) {
        if (const auto found = m_watches.find(again); found != m_watches.end())
            watch(again, found->second.what);
    }
    if (m_timeoutDeferred) {
        m_timeoutDeferred = false;
        m_timer.start(0);
    }
}

void CurlMulti::reapFinished()
{
    int queued = 0;
    while (CURLMsg *message = m_curl->multi_info_read(m_multi, &queued)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode code = message->data.result;
        char *data = nullptr;
        m_curl->easy_getinfo(easy, CURLINFO_PRIVATE, &data);
        auto *transfer = reinterpret_cast<CurlTransfer *>(data);
        m_curl->multi_remove_handle(m_multi, easy);
        transfer->setRunning(false);
        if (CurlTransferClient *client = transfer->client()) {
            const QString text = transfer->errorBuffer()[0] ? QString::fromUtf8(transfer->errorBuffer())
                                                            : QString::fromUtf8(m_curl->easy_strerror(code));
            client->transferDone(code, code == CURLE_OK ? QString() : text);
        }
    }
}

void CurlMulti::freeReleased()
{
    std::vector<CurlTransfer *> released;
    released.swap(m_released);
    for (CurlTransfer *transfer : released) {
        if (transfer->isRunning())
            m_curl->multi_remove_handle(m_multi, transfer->handle());
        delete transfer;
    }
}
